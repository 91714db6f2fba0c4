import type { CodegenConfig } from '@graphql-codegen/cli';
import { preset as clientPreset } from '@graphql-codegen/client-preset';

/**
 * The web client's typed GraphQL documents: `npm run codegen` reads the composed schema and every
 * `graphql(…)` call in web/src and writes web/src/gql (committed; a check regenerates and diffs it).
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['web/src/**/*.{ts,tsx}', '!web/src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'web/src/gql/': {
      preset: clientPreset,
      presetConfig: {
        gqlTagName: 'graphql',
        fragmentMasking: { unmaskFunctionName: 'getFragmentData' },
      },
      config: {
        useTypeImports: true,
        skipTypename: true,
        scalars: { DateTime: 'string', ID: 'string' },
      },
    },
  },
};

export default config;
