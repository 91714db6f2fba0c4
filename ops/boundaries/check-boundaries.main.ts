import { fileURLToPath } from 'node:url';
import { boundaryRules } from './boundaries.rules';
import { checkBoundaries } from './check-boundaries';

/** `npm run boundaries`: fails when a file imports across the package layout's rules (see boundaries.rules.ts). */
const root = fileURLToPath(new URL('../..', import.meta.url));
const violations = checkBoundaries(root, boundaryRules);
for (const { file, line, message } of violations) console.error(`${file}:${line}: ${message}`);
if (violations.length > 0) {
  console.error(
    `\n${violations.length} boundary violation(s); the layout is described in ops/boundaries/boundaries.rules.ts`,
  );
  process.exit(1);
}
console.log(
  `package boundaries hold (${boundaryRules.units.length} units, ${boundaryRules.packageDirs.length} package.json files)`,
);
