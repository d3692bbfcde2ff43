/**
 * graphql-codegen's client preset: the operations written with `graphql(...)` in this folder, checked against
 * the gateway's printed schema, become typed documents in `gql/` (committed; `npm run examples:check` fails
 * when they are stale). Paths are relative to the repository root, where the npm scripts run.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['examples/**/*.ts', '!examples/gql/**'],
  // A file whose GraphQL does not parse fails the run instead of being skipped as if it held no document.
  noSilentErrors: true,
  generates: {
    'examples/gql/': {
      preset: 'client',
      // No fragments here: masking would only add an unwrap call to every read.
      presetConfig: { fragmentMasking: false },
      config: {
        // Plain strings rather than parsed DocumentNodes: `fetch` sends text, so no graphql-js in the bundle.
        documentMode: 'string',
        // The gateway's DateTime is RFC 3339 text both ways; a Date would hide its millisecond UTC form.
        scalars: { DateTime: 'string' },
        strictScalars: true,
        enumsAsTypes: true,
        useTypeImports: true,
        importExtension: '.js',
      },
    },
  },
};

export default config;
