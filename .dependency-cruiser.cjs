// The import rules of the design (DESIGN.md section 2), checked by `npm run deps` in .ci/run. One way:
// http -> (schema, limits, errors, auth, observability, response-cache) -> resolvers -> slots -> upstream ->
// model; the composition root (gateway.ts, main.ts) above them all.
//
// Type-only imports count like any other (tsPreCompilationDeps): a type is a dependency of the design even
// though the compiled JavaScript drops it, so a cycle through types is fixed, not hidden. Only config gets a
// rule of its own for them: it may name the option types of the layers it configures, never their code.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A file cycle means neither file can be read (or loaded) first; Pothos fails this way.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycle',
      severity: 'error',
      scope: 'folder',
      comment: 'Each folder is one room of the house; two rooms that import each other are one room.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import the cruiser cannot resolve is invisible to every other rule here.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'composition-root-not-imported',
      severity: 'error',
      comment:
        'gateway.ts builds everything and main.ts runs it; a module that imports them imports the whole ' +
        'gateway, and the layers would no longer be separable.',
      from: { path: '^src/', pathNot: '^src/main\\.ts$' },
      to: { path: '^src/(gateway|main)\\.ts$' },
    },
    {
      name: 'schema-not-to-data',
      severity: 'error',
      comment: 'The schema is one-line adapters into resolvers; data arrives through them, never directly.',
      from: { path: '^src/schema/' },
      to: { path: '^src/(slots|upstream)/' },
    },
    {
      name: 'resolvers-not-to-upstream',
      severity: 'error',
      comment: 'Resolvers reach data through the window cache (slots), so every fetch is cached and planned.',
      from: { path: '^src/resolvers/' },
      to: { path: '^src/upstream/' },
    },
    {
      name: 'upstream-only-model',
      severity: 'error',
      comment:
        'The ListCallDetail client is the bottom layer: it takes its options as its own types and knows ' +
        'nothing of config, slots, the schema, the HTTP edge, Redis or observability (its callers pass ' +
        'callbacks for metrics and logs).',
      from: { path: '^src/upstream/' },
      to: { path: '^src/', pathNot: '^src/(upstream|model)/' },
    },
    {
      name: 'slots-not-up',
      severity: 'error',
      comment:
        'The window cache sits under everything that serves a request; it depends on the upstream and ' +
        'the model only, so it can be tested (and reused) without GraphQL, HTTP or Redis.',
      from: { path: '^src/slots/' },
      to: { path: '^src/', pathNot: '^src/(slots|upstream|model)/' },
    },
    {
      name: 'graphql-free-below-schema',
      severity: 'error',
      comment:
        'Resolvers, slots, upstream and model are plain domain code (DESIGN.md): GraphQL stops at the ' +
        'schema and the plugins, so the window cache and the client can serve any other caller.',
      from: { path: '^src/(resolvers|slots|upstream|model)/' },
      to: { path: '^node_modules/(graphql|graphql-yoga|@graphql-yoga|@envelop|@pothos|@escape\\.tech)/' },
    },
    {
      name: 'model-imports-nothing',
      severity: 'error',
      comment: "The gateway's own types are the floor every layer stands on; they stand on nothing.",
      from: { path: '^src/model/' },
      to: { path: '^src/', pathNot: '^src/model/' },
    },
    {
      name: 'simulator-only-signing-and-model',
      severity: 'error',
      comment:
        'The simulator is an HTTP peer of the gateway: sharing more than the signature and the data ' +
        'types would let a bug on one side hide the same bug on the other.',
      from: { path: '^src/simulator/' },
      to: { path: '^src/', pathNot: ['^src/simulator/', '^src/upstream/signer\\.ts$', '^src/model/'] },
    },
    {
      name: 'config-no-runtime-deps',
      severity: 'error',
      comment:
        'loadConfig is a pure function every process part may call; it may name the types it fills ' +
        '(model, upstream) but must not pull in code that runs.',
      from: { path: '^src/config/' },
      to: { path: '^src/', pathNot: '^src/config/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'config-types-only-of-what-it-configures',
      severity: 'error',
      comment: 'Config names option types of the layers it configures, not of the layers above them.',
      from: { path: '^src/config/' },
      to: { path: '^src/', pathNot: '^src/(config|model|upstream)/' },
    },
    {
      name: 'src-not-to-test',
      severity: 'error',
      comment: 'Test helpers may fake or cut corners; the gateway must never ship or run them.',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
    {
      name: 'examples-only-public-api',
      severity: 'error',
      comment:
        'The examples are a client a dashboard developer copies: they reach the gateway over HTTP, by ' +
        'schema.graphql, and would not build outside this repository if they imported its code.',
      from: { path: '^examples/' },
      to: { path: '^(src|test|bench|scripts)/' },
    },
    {
      name: 'nothing-to-examples',
      severity: 'error',
      comment: 'Only their end-to-end test uses the examples; the gateway, benchmarks and scripts never do.',
      from: { path: '^(src|bench|scripts)/' },
      to: { path: '^examples/' },
    },
    {
      name: 'bench-not-to-test',
      severity: 'error',
      comment:
        'Benchmarks measure the gateway as it ships; a test helper in the loop measures something else.',
      from: { path: '^bench/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Subpath imports (`graphql-ws/use/ws`) resolve only through a package's `exports`, as Node resolves them;
    // type-only packages (@graphql-typed-document-node/core, which the generated examples/gql/ imports) have
    // no `main`, only `types`/`typings`.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      mainFields: ['main', 'types', 'typings'],
    },
  },
};
