import { existsSync, readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import config from '../../codegen';

/**
 * Fails when the committed generated client (web/src/gql) differs from what `npm run codegen` would
 * write from schema/schema.graphql and the web app's documents. Writes nothing.
 */
const outputs = (await generate({ ...config, silent: true }, false)) as { filename: string; content: string }[];
const stale = outputs.filter(
  ({ filename, content }) => !existsSync(filename) || readFileSync(filename, 'utf8') !== content,
);
if (stale.length > 0) {
  console.error(
    `Generated GraphQL client is out of date (run \`npm run codegen\`):\n${stale.map((o) => `  ${o.filename}`).join('\n')}`,
  );
  process.exit(1);
}
console.log(`generated GraphQL client is up to date (${outputs.length} files)`);
