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
      presetConfig: {
        // No fragments here: masking would only add an unwrap call to every read.
        fragmentMasking: false,
        // Writes gql/persisted-documents.json, the gateway's TRUSTED_DOCUMENTS, and puts each document's hash in
        // its `__meta__`, which the client sends instead of the text. SHA-256, as clients send `sha256Hash`
        // (codegen's default is SHA-1). The text stays in the documents, for gateways that take any operation.
        persistedDocuments: { hashAlgorithm: 'sha256' },
      },
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
