/**
 * The layering rules (npm run lint:deps). Each layer imports only those below it:
 *
 *   core (pure domain) ← stacks/spec (the topology, plain data) ← adapters (I/O) ← functions (Lambda)
 *   ← local (the laptop runtime) ← cli
 *
 * Packages import each other by package name, never by a relative path; see CONTRIBUTING.md.
 */
const NODE_IO = [
  'fs',
  'fs/promises',
  'net',
  'http',
  'http2',
  'https',
  'child_process',
  'cluster',
  'dgram',
  'dns',
  'dns/promises',
  'tls',
  'os',
  'readline',
  'worker_threads',
  'inspector',
  'v8',
  'vm',
  'process',
];
const nodeIo = `^(node:)?(${NODE_IO.map((m) => m.replace('/', '\\/')).join('|')})$`;
const TESTS = '\\.test\\.ts$|/testing/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle means two modules are one idea split in two, or a type lives in the wrong place.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-relative-import-across-packages',
      severity: 'error',
      comment: 'A workspace package imports another by its package name (@spend-alerts/…), never by a relative path.',
      from: { path: '^(packages/[^/]+|stacks)/' },
      to: { dependencyTypes: ['local'], dependencyTypesNot: ['aliased-workspace'], pathNot: ['^$1/'] },
    },
    {
      name: 'no-relative-import-into-packages',
      severity: 'error',
      comment: 'Tests, benchmarks and sst.config.ts reach packages by name too (sst.config.ts may import stacks/).',
      from: { path: '^(tests|bench)/' },
      to: { dependencyTypes: ['local'], dependencyTypesNot: ['aliased-workspace'], path: '^(packages|stacks)/' },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'packages/core decides; it does no I/O. Its tests may read fixtures.',
      from: { path: '^packages/core/', pathNot: TESTS },
      to: { dependencyTypes: ['core'], path: nodeIo },
    },
    {
      name: 'core-imports-no-workspace-package',
      severity: 'error',
      from: { path: '^packages/core/' },
      to: { path: '^(packages/(?!core/)|stacks/)' },
    },
    {
      name: 'spec-is-plain-data',
      severity: 'error',
      comment:
        'stacks/spec.ts, metrics.ts and bundling.ts are read by the runtime packages: they import nothing of ours.',
      from: { path: '^stacks/(spec|metrics|bundling|monitoring-plan)\\.ts$' },
      to: { path: '^(packages/|stacks/(?!(spec|metrics|bundling|monitoring-plan)\\.ts$))' },
    },
    {
      name: 'packages-read-only-the-plain-stacks',
      severity: 'error',
      comment:
        'The SST mapping is for sst.config.ts; packages read the topology (spec, metrics) and bundling options only.',
      from: { path: '^packages/' },
      to: { path: '^stacks/', pathNot: '^stacks/(spec|metrics|bundling|monitoring-plan)\\.ts$' },
    },
    {
      name: 'adapters-below-functions',
      severity: 'error',
      from: { path: '^packages/adapters/' },
      to: { path: '^packages/(functions|local|cli)/' },
    },
    {
      name: 'functions-below-local',
      severity: 'error',
      from: { path: '^packages/functions/' },
      to: { path: '^packages/(local|cli)/' },
    },
    {
      name: 'local-below-cli',
      severity: 'error',
      from: { path: '^packages/local/' },
      to: { path: '^packages/cli/' },
    },
    {
      name: 'stacks-mapping-uses-core-only',
      severity: 'error',
      comment: 'The SST mapping reads the validated config (core) and the spec; never the handlers or the runtime.',
      from: { path: '^stacks/', pathNot: TESTS },
      to: { path: '^packages/(?!core/)' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'aws-lambda is types only (@types/aws-lambda), imported with `import type`.',
      from: {},
      to: { couldNotResolve: true, pathNot: '^aws-lambda$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|\\.sst|dist|coverage)/' },
    // Type-only imports count: a cycle through types is still a cycle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.json'],
    },
    preserveSymlinks: false,
  },
};
