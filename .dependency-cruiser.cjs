/**
 * Layer rules (hexagonal): dependencies point inward only.
 *   domain          imports nothing outside itself (no packages, no node built-ins, no workspace packages)
 *   adapters-*      may import domain only (among workspace packages)
 *   backbone        may import domain only (adapters are injected through the domain ports)
 *   upbit           composes adapters + backbone (createUpbitMarketData); may import those and domain only
 *   pino, metrics   optional add-ons (a Logger port on pino; prom-client metrics of the facade): domain only
 *   nats            the fleet's NATS adapter (subjects, wire, gateway core, NATS sources): domain only (+ NATS clients)
 *   apps/*          may import everything; nothing imports from an app
 * Only runtime code (src/) is held to this; tests may use the simulator and fixtures.
 * Rules match both resolved paths (packages/x/...) and bare names (@marketdata/x), so they hold before a build.
 */
const path = require('node:path');

const WORKSPACE = '^(packages|apps|tools)/|^@marketdata/';
const RUNTIME = '/src/';
const NOT_TEST = '\\.(test|spec)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'packages/domain imports nothing outside itself: no npm packages, no node built-ins, no workspace packages.',
      severity: 'error',
      from: { path: '^packages/domain/src/', pathNot: NOT_TEST },
      to: { pathNot: '^packages/domain/src/' },
    },
    {
      name: 'adapters-import-domain-only',
      comment: 'An adapter may import @marketdata/domain and nothing else of the workspace.',
      severity: 'error',
      from: { path: '^packages/(adapters-[^/]+)/src/', pathNot: NOT_TEST },
      to: { path: WORKSPACE, pathNot: '^packages/(domain|$1)/|^@marketdata/domain(/|$)' },
    },
    {
      name: 'backbone-imports-domain-only',
      comment: 'The backbone reaches adapters only through the domain ports, injected by the apps.',
      severity: 'error',
      from: { path: '^packages/backbone/src/', pathNot: NOT_TEST },
      to: { path: WORKSPACE, pathNot: '^packages/(domain|backbone)/|^@marketdata/domain(/|$)' },
    },
    {
      name: 'composition-imports-the-library-only',
      comment:
        'packages/upbit wires the adapters behind the backbone: it may import domain, adapters and backbone only.',
      severity: 'error',
      from: { path: '^packages/upbit/src/', pathNot: NOT_TEST },
      to: {
        path: WORKSPACE,
        pathNot: '^packages/(domain|adapters-[^/]+|backbone|upbit)/|^@marketdata/(domain|adapters-[^/]+|backbone)(/|$)',
      },
    },
    {
      name: 'add-ons-import-domain-only',
      comment:
        'packages/pino and packages/metrics stand beside the library: they may import @marketdata/domain only (the metrics read the facade through a structural type).',
      severity: 'error',
      from: { path: '^packages/(pino|metrics)/src/', pathNot: NOT_TEST },
      to: { path: WORKSPACE, pathNot: '^packages/(domain|$1)/|^@marketdata/domain(/|$)' },
    },
    {
      name: 'nats-imports-domain-only',
      comment:
        'packages/nats is an adapter (the fleet over NATS): it may import @marketdata/domain and the NATS client libraries, nothing else of the workspace (the Upbit adapters are wired in by apps/gateway).',
      severity: 'error',
      from: { path: '^packages/nats/src/', pathNot: NOT_TEST },
      to: { path: WORKSPACE, pathNot: '^packages/(domain|nats)/|^@marketdata/domain(/|$)' },
    },
    {
      name: 'simulator-imports-domain-only',
      comment: 'The simulator stands alone (it only borrows pure helpers from domain).',
      severity: 'error',
      from: { path: '^packages/upbit-sim/src/', pathNot: NOT_TEST },
      to: { path: WORKSPACE, pathNot: '^packages/(domain|upbit-sim)/|^@marketdata/domain(/|$)' },
    },
    {
      name: 'nothing-imports-an-app',
      comment: 'Apps compose; nothing (not even another app) imports from an app.',
      severity: 'error',
      from: { pathNot: '^apps/' },
      to: { path: '^apps/|^@marketdata/(demo|bench|chart|gateway)(/|$)' },
    },
    {
      name: 'apps-do-not-import-each-other',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/|^@marketdata/(demo|bench|chart|gateway)(/|$)', pathNot: '^apps/$1/' },
    },
    {
      name: 'runtime-code-has-no-dev-dependencies',
      comment: 'src/ must not import devDependencies (e.g. the simulator or fixtures in an adapter).',
      severity: 'error',
      from: { path: RUNTIME, pathNot: NOT_TEST },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unresolvable',
      comment:
        'A relative import that resolves to nothing is a bug. (Bare names are left to tsc, since workspace packages resolve only once built.)',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, path: '^\\.' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|test-results|node_modules)/' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    tsConfig: { fileName: path.join(__dirname, 'tsconfig.base.json') },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'types', 'node', 'default'],
      extensions: ['.ts', '.js', '.d.ts', '.json'],
    },
  },
};
