import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type BoundaryRules, boundaryRules } from './boundaries.rules';
import { checkBoundaries, isTestFile, packageNameOf } from './check-boundaries';

/** A three-layer miniature of the repository: low ← mid ← top. */
const rules: BoundaryRules = {
  units: [
    { name: 'root', dir: '.', packageDir: '.', mayImport: [], byPath: true },
    { name: '@x/low', dir: 'low', packageDir: 'low', mayImport: [], testsMayImport: ['@x/helpers'] },
    { name: '@x/mid', dir: 'mid', packageDir: 'mid', mayImport: ['@x/low'] },
    { name: '@x/top', dir: 'top', packageDir: 'top', mayImport: ['@x/low', '@x/mid', 'root'] },
    { name: '@x/helpers', dir: 'helpers/src', packageDir: 'helpers', mayImport: ['@x/low'] },
  ],
  packageDirs: ['.', 'low', 'mid', 'top', 'helpers'],
};

const packages: Record<string, object> = {
  'package.json': { devDependencies: { vitest: '*' } },
  'low/package.json': { dependencies: { zod: '*' }, devDependencies: { '@x/helpers': '*' } },
  'mid/package.json': { dependencies: { '@x/low': '*', zod: '*' } },
  'top/package.json': { dependencies: { '@x/low': '*', '@x/mid': '*' } },
  'helpers/package.json': { dependencies: { '@x/low': '*' } },
};

const goodFiles: Record<string, string> = {
  'config.ts': 'export const setting = 1;\n',
  'low/src/index.ts':
    "import { z } from 'zod';\nimport { readFileSync } from 'node:fs';\nexport const schema = z.string();\n",
  'low/src/index.test.ts':
    "import { expect } from 'vitest';\nimport { helper } from '@x/helpers';\nexpect(helper).toBeDefined();\n",
  'mid/src/index.ts':
    "import { schema } from '@x/low';\nimport { z } from 'zod';\nexport const mid = z.array(schema);\n",
  'top/src/index.ts':
    "import { schema } from '@x/low';\nimport { mid } from '@x/mid';\nimport { setting } from '../../config';\nexport { schema, mid, setting };\n",
  'helpers/src/index.ts': "import { schema } from '@x/low';\nexport const helper = schema;\n",
};

let root: string;
const makeRepo = (files: Record<string, string>): string => {
  root = mkdtempSync(join(tmpdir(), 'boundaries-'));
  const all = {
    ...Object.fromEntries(Object.entries(packages).map(([p, json]) => [p, JSON.stringify(json)])),
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
};
afterEach(() => rmSync(root, { recursive: true, force: true }));

const messages = (files: Record<string, string>) =>
  checkBoundaries(makeRepo({ ...goodFiles, ...files }), rules).map((v) => `${v.file}: ${v.message}`);

describe('the package boundary check', () => {
  it('accepts imports that go down the layers, through entry points, of declared packages', () => {
    expect(messages({})).toEqual([]);
  });

  it('catches an upward import', () => {
    const found = messages({ 'low/src/up.ts': "import { mid } from '@x/mid';\nexport const up = mid;\n" });
    expect(found).toContainEqual(
      expect.stringMatching(/^low\/src\/up\.ts: imports @x\/mid, which @x\/low may not import/),
    );
  });

  it('catches an import of a package the file’s package.json does not declare', () => {
    const found = messages({ 'top/src/extra.ts': "import { z } from 'zod';\nexport const extra = z.number();\n" });
    expect(found).toEqual(['top/src/extra.ts: imports "zod", which top/package.json does not declare']);
  });

  it('catches a deep path and a relative path into another package', () => {
    const found = messages({
      'top/src/deep.ts': "import { schema } from '@x/low/src/index';\nimport { mid } from '../../mid/src/index';\n",
    });
    expect(found).toContainEqual(expect.stringMatching(/imports "@x\/low\/src\/index", a deep path into @x\/low/));
    expect(found).toContainEqual(expect.stringMatching(/by a relative path out of @x\/top into @x\/mid/));
  });

  it('lets tests use shared helpers of their layer, but not the code they are beside', () => {
    const found = messages({ 'low/src/helper-user.ts': "import { helper } from '@x/helpers';\nexport { helper };\n" });
    expect(found).toContainEqual(
      expect.stringMatching(/^low\/src\/helper-user\.ts: imports @x\/helpers, which @x\/low may not/),
    );
  });

  it('catches a declared package that nothing imports', () => {
    const found = messages({
      'top/package.json': JSON.stringify({ dependencies: { '@x/low': '*', '@x/mid': '*', zod: '*' } }),
    });
    expect(found).toEqual(['top/package.json: declares "zod", which nothing in top imports or runs']);
  });

  it('holds for this repository', () => {
    const repository = fileURLToPath(new URL('../..', import.meta.url));
    expect(checkBoundaries(repository, boundaryRules)).toEqual([]);
  });
});

describe('import classification', () => {
  it('names the package of a specifier, scoped or not', () => {
    expect(packageNameOf('@scope/name/deep/path')).toBe('@scope/name');
    expect(packageNameOf('graphiql/style.css')).toBe('graphiql');
  });

  it('counts *.test.ts files and test/ and e2e/ folders as test code', () => {
    expect(isTestFile('core/src/config/config.test.ts')).toBe(true);
    expect(isTestFile('server/test/live-client.ts')).toBe(true);
    expect(isTestFile('web/e2e/browser.ts')).toBe(true);
    expect(isTestFile('server/src/app.ts')).toBe(false);
  });
});
