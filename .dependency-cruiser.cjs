/**
 * The layers of okta-actions (docs/ARCHITECTURE.md), checked by dependency-cruiser in npm test: a module
 * imports only from its own folder or from the folders below it. Type-only imports count too.
 */
const LAYERS = [
  ['http', '^src/http/', 'one HTTP exchange, the address guard, rate-limit headers: no project imports'],
  ['errors', '^src/errors/', 'the error envelope and the one mapper from anything thrown to it'],
  ['schema', '^src/schema/', 'JSON Schema checks (Ajv), formats, field suggestions'],
  ['manifest', '^src/manifest/', 'the manifest data, scopes of actions, where the package sits'],
  ['oauth', '^src/oauth/', 'credentials and how requests are authorized (API token, OAuth, DPoP)'],
  ['connection', '^src/connection/', 'a connection checked and resolved, its address normalized'],
  [
    'transport',
    '^src/transport/',
    'a connection client: guarded executor, governor, raw JSON, paging, paths',
  ],
  ['handler', '^src/handler/', 'the handler contract: defineAction, the context a handler gets'],
  ['domain', '^src/domain/', 'Okta objects the handlers share: users, groups, apps, devices, ...'],
  ['actions', '^actions/', 'one folder per action: its contract and handler'],
  ['generated', '^src/generated/', 'the handler registry and types, generated from actions/'],
  [
    'runtime',
    '^src/runtime/',
    'execute(), stream(), testConnection(): where runs happen and errors become data',
  ],
];
const ADAPTERS = [
  '^src/cli/',
  '^src/sandbox/',
  '^src/triggers/',
  '^src/playground/',
  '^src/mcp/',
  '^src/workers/',
  '^src/index\\.ts$',
];

const layerRules = LAYERS.map(([name, path], index) => ({
  name: `layer-${name}-looks-down`,
  comment: `${name} (${LAYERS[index][2]}) imports only from the layers below it: ${
    LAYERS.slice(0, index)
      .map(([below]) => below)
      .join(', ') || 'none'
  }.`,
  severity: 'error',
  from: { path },
  to: { path: [...LAYERS.slice(index + 1).map(([, above]) => above), ...ADAPTERS] },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'adapters-stand-alone',
      comment:
        'An adapter (the CLI, the sandbox, the triggers, the package entry) uses the layers below it, not another adapter; only the CLI serves the sandbox and the triggers.',
      severity: 'error',
      from: { path: '^src/sandbox/' },
      to: {
        path: [
          '^src/cli/',
          '^src/index\\.ts$',
          '^src/triggers/',
          '^src/mcp/',
          '^src/runtime/',
          '^src/generated/',
          '^actions/',
        ],
      },
    },
    {
      name: 'playground-stand-alone',
      comment:
        'The playground (server and page) uses the runtime and the layers below it; only the CLI serves it.',
      severity: 'error',
      from: { path: '^src/playground/' },
      to: { path: ['^src/cli/', '^src/sandbox/', '^src/triggers/', '^src/mcp/', '^src/index\\.ts$'] },
    },
    {
      name: 'triggers-stand-alone',
      comment:
        'The triggers adapter (receiver, subscribe, poll) uses the runtime and the layers below it; the CLI uses it, it uses no other adapter.',
      severity: 'error',
      from: { path: '^src/triggers/' },
      to: { path: ['^src/cli/', '^src/sandbox/', '^src/mcp/', '^src/index\\.ts$'] },
    },
    {
      name: 'mcp-stand-alone',
      comment:
        'The MCP server (tools, stdio and Streamable HTTP) uses the runtime and the layers below it; only the CLI serves it.',
      severity: 'error',
      from: { path: '^src/mcp/' },
      to: { path: ['^src/cli/', '^src/sandbox/', '^src/triggers/', '^src/playground/', '^src/index\\.ts$'] },
    },
    {
      name: 'workers-stand-alone',
      comment:
        'The workers adapter (the shared Redis rate budget, the BullMQ processor) uses the runtime and the layers below it; only the CLI uses it.',
      severity: 'error',
      from: { path: '^src/workers/' },
      to: {
        path: [
          '^src/cli/',
          '^src/sandbox/',
          '^src/triggers/',
          '^src/mcp/',
          '^src/playground/',
          '^src/index\\.ts$',
        ],
      },
    },
    {
      name: 'no-circular',
      comment: 'No module reaches itself through its imports.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    includeOnly: ['^src/', '^actions/'],
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.json'] },
  },
};
