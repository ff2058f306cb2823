import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed clients: the canonical operations a frontend needs (schema/operations)
 * become TypedDocumentStrings with their result and variables types, plus a
 * persisted-documents manifest (sha256 hash → document) that the gateway can
 * be locked to. `npm run codegen` regenerates; a test fails when it is stale.
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['schema/operations/**/*.graphql'],
  ignoreNoDocuments: false,
  // Imports with `.js`, so the compiled client runs as Node ESM.
  emitLegacyCommonJSImports: false,
  generates: {
    'packages/client/src/generated/': {
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: { mode: 'embedHashInDocument', hashAlgorithm: 'sha256' },
      },
      config: {
        // Strings, not ASTs: the client sends them as they are and needs no graphql-js.
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: 'string', JSON: 'unknown' },
        strictScalars: true,
      },
    },
  },
};

export default config;
