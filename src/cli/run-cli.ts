/**
 * The okta-actions command line, for people and scripts: list and describe actions, run one, test a
 * connection. Everything goes through the same execute() and testConnection() a host uses.
 *
 * The connection comes from --connection <file.json>, or else from OKTA_API_ADDRESS and OKTA_API_TOKEN.
 * (Only the CLI reads the environment; the library never does.) When a run refreshes an
 * oauth_access_token connection's tokens, the new ones are written back to that file: Okta rotates
 * refresh tokens, so the file's old one no longer works (a host stores meta.connectionUpdate the same way).
 */
import { manifest } from '../manifest/manifest.js';
import { scopesFor } from '../manifest/scopes.js';
import { execute } from '../runtime/execute.js';
import { testConnection } from '../runtime/test-connection.js';
import { closestName } from '../schema/suggest.js';
import type { CliIo } from './cli-io.js';
import {
  CONNECTION_HELP,
  connectionFile,
  keepRefreshedTokens,
  knownAction,
  readConnection,
  readConnectionIfAny,
  readInput,
} from './command-input.js';
import { actionTable, connectionSummary } from './connection-report.js';
import { lookupCommand } from './lookup-command.js';
import { listOption, readNamedConnections, serveMcp } from './mcp-command.js';
import {
  type CommandSyntax,
  checkCommandLine,
  hasFlag,
  type OptionName,
  type OptionValues,
  splitCommandLine,
} from './options.js';
import { servePlayground } from './playground-command.js';
import { serveSandbox } from './sandbox-command.js';
import { knownTrigger, listenCommand, listTriggers, pollCommand } from './trigger-commands.js';
import { UsageError } from './usage-error.js';
import { serveWorker } from './worker-command.js';

export type { CliIo } from './cli-io.js';

/**
 * Exit codes: 0 success, 1 the action or the test failed or the sandbox could not start, 2 the command
 * line was wrong. A port in use is 1: the command line was right, the machine was not ready for it.
 */
const FAILED = 1;
const USAGE_ERROR = 2;

const EXIT_CODES =
  'Exit codes: 0 success; 1 the action or the connection test failed, or the sandbox could not start (its port in use, say); 2 the command line was wrong (and nothing was sent to Okta).';

interface Command {
  usage: string;
  summary: string;
  syntax: CommandSyntax;
}

const CONNECTION_OPTIONS: OptionName[] = ['connection', 'allow-loopback'];
const NO_ARGUMENTS = { min: 0, max: 0, takes: 'no arguments' };
const ONE_ACTION = { min: 1, max: 1, takes: 'one action key' };

const COMMANDS: Record<string, Command> = {
  actions: {
    usage: 'okta-actions actions',
    summary: 'List every action: key, title and category.',
    syntax: { options: [], positionals: NO_ARGUMENTS },
  },
  describe: {
    usage: 'okta-actions describe <action-key>',
    summary: "Show an action's description, input and output schema, and an example input.",
    syntax: { options: [], positionals: ONE_ACTION },
  },
  run: {
    usage:
      "okta-actions run <action-key> [--input '<json>' | --input-file <path>] [--dry-run] [--connection <file.json>] [--allow-loopback]",
    summary:
      'Run an action. Prints the output as JSON; on failure prints the error as JSON to stderr and exits 1. With --dry-run it prints what the action would change, and changes nothing. The input is a JSON object ({...}); without one it is {}.',
    syntax: {
      options: ['input', 'input-file', 'dry-run', ...CONNECTION_OPTIONS],
      exclusive: [{ options: ['input', 'input-file'], give: 'the input' }],
      positionals: ONE_ACTION,
    },
  },
  lookup: {
    usage:
      "okta-actions lookup <action-key> <field> [--search <text>] [--cursor <c>] [--input '<json>' | --input-file <path>] [--json] [--connection <file.json>] [--allow-loopback]",
    summary:
      'List the options a picker offers for an id field of an action (its x-lookup), 20 at a time: one a line, the value, a tab and the label (and a tab and the description), or with --json the page as JSON. --search narrows them by the text, --cursor continues where the last page stopped (its cursor is printed on stderr), --input gives the fields the lookup depends on (the app of an app user). A field inside another is a dotted path (profile.managerId). On failure it prints the error as JSON to stderr and exits 1.',
    syntax: {
      options: ['search', 'cursor', 'input', 'input-file', 'json', ...CONNECTION_OPTIONS],
      exclusive: [{ options: ['input', 'input-file'], give: 'the input' }],
      positionals: { min: 2, max: 2, takes: 'an action key and a field' },
    },
  },
  scopes: {
    usage: 'okta-actions scopes <action-key>...',
    summary:
      'Print the Okta API scopes the actions need (one per line): what to grant an API Services app, or to ask for in an authorization-code flow (with openid and offline_access).',
    syntax: { options: [], positionals: { min: 1, max: Number.POSITIVE_INFINITY, takes: 'action keys' } },
  },
  'test-connection': {
    usage: 'okta-actions test-connection [--actions | --json] [--connection <file.json>] [--allow-loopback]',
    summary:
      'Check the connection with one cheap read, and print a summary: who the token acts as, its admin roles and scopes, which actions are not expected to work and why, the rate limit. --actions adds every action with whether it is expected to work; --json prints the whole result as JSON instead. On failure it prints to stderr and exits 1.',
    syntax: {
      options: ['actions', 'json', ...CONNECTION_OPTIONS],
      exclusive: [{ options: ['actions', 'json'], give: 'the actions (--json holds them all)' }],
      positionals: NO_ARGUMENTS,
    },
  },
  sandbox: {
    usage:
      'okta-actions sandbox [--port <n>] [--token <t>] [--seed <users>] [--rate-limit <per-minute>] [--latency <ms>]',
    summary:
      "Serve a local Okta org on 127.0.0.1 until interrupted. --port 0 (the default) picks a free port; --seed adds generated users (up to 1000000); --rate-limit is each endpoint's budget per minute (1 or more; default 600); --latency is added to every answer. A port in use, or one this user may not use, exits 1.",
    syntax: { options: ['port', 'token', 'seed', 'rate-limit', 'latency'], positionals: NO_ARGUMENTS },
  },
  triggers: {
    usage: 'okta-actions triggers',
    summary: 'List every trigger: key, title and the Okta event types it covers.',
    syntax: { options: [], positionals: NO_ARGUMENTS },
  },
  poll: {
    usage:
      "okta-actions poll <trigger-key> [--input '<json>'] [--since <time>] [--cursor <c>] [--follow] [--connection <file.json>] [--allow-loopback]",
    summary:
      'Read a trigger\'s events from the System Log: each event as a JSON line on stdout, then {"cursor": ...} on stderr; give that cursor to the next poll to read on with no gap and no repeat. Without a cursor it starts at --since, or now. --follow keeps polling until interrupted. The input holds the trigger\'s filters.',
    syntax: {
      options: ['input', 'since', 'cursor', 'follow', ...CONNECTION_OPTIONS],
      exclusive: [{ options: ['since', 'cursor'], give: 'where to start' }],
      positionals: { min: 1, max: 1, takes: 'one trigger key' },
    },
  },
  listen: {
    usage:
      "okta-actions listen [<trigger-key>...] [--port <n>] [--url <public-url>] [--input '<json>'] [--connection <file.json>] [--allow-loopback]",
    summary:
      "Serve an event hook receiver on 127.0.0.1, subscribe the org's event hook (named okta-actions-cli-listen) to it, print each event as a JSON line until interrupted, then remove the hook. Without trigger keys it listens to every trigger with fixed event types. --url is the public HTTPS address that reaches this port (Okta calls only HTTPS); without it the loopback address is used, which only a local sandbox can call (with --allow-loopback). --input holds the filters of a single trigger.",
    syntax: {
      options: ['port', 'url', 'input', ...CONNECTION_OPTIONS],
      positionals: { min: 0, max: Number.POSITIVE_INFINITY, takes: 'trigger keys' },
    },
  },
  playground: {
    usage: 'okta-actions playground [--port <n>] [--connection <file.json>] [--allow-loopback]',
    summary:
      "Serve a local web page to try the actions as a host draws them: forms with pickers and the org's own fields, dry runs and runs. Only this machine can reach it, with the token in the URL it prints. With no connection configured (no --connection, no OKTA_API_ADDRESS), it starts a sandbox org and uses it.",
    syntax: { options: ['port', ...CONNECTION_OPTIONS], positionals: NO_ARGUMENTS },
  },
  mcp: {
    usage:
      'okta-actions mcp [--http [--port <n>] [--token <t>]] [--sandbox | --connection [<name>=]<file.json> ...] [--allow-loopback] [--read-only] [--actions <a,b>] [--categories <X,Y>]',
    summary:
      'Serve the actions as MCP tools: over stdio for a client that starts this command, or with --http over Streamable HTTP on 127.0.0.1 (--port 0, the default, picks a free one), where every request needs the bearer token: --token, or OKTA_ACTIONS_MCP_TOKEN, or else one generated and printed to stderr. --connection may be given once per org (name=file; a bare file is named after it): every tool then takes connection, the org to act on. Each connection is tested when the server starts, and tools it cannot run are hidden (the tool explain-hidden-tools says which and why). --sandbox serves a local sandbox org instead of a connection. --read-only, --actions and --categories choose the tools. Destructive tools show their plan and ask the person to confirm (or need confirm: true).',
    syntax: {
      options: [
        'http',
        'port',
        'token',
        'sandbox',
        'read-only',
        'actions',
        'categories',
        ...CONNECTION_OPTIONS,
      ],
      exclusive: [{ options: ['sandbox', 'connection'], give: 'the org' }],
      positionals: NO_ARGUMENTS,
    },
  },
  worker: {
    usage:
      'okta-actions worker --redis <url> [--queue <name>] [--concurrency <n>] [--lock-duration <ms>] [--fleet-size <n>] (--connections <file.json> | --sandbox) [--allow-loopback]',
    summary:
      'Run action jobs from a BullMQ queue (default name okta-actions) until interrupted: one process of a fleet; start as many as needed on the same Redis and queue. A job is { action, connectionRef, input, dryRun }; --connections is a JSON file mapping each connectionRef to a connection ({"acme": {"type": "api_token", ...}}), read at every job, where refreshed tokens are written back; --sandbox serves a local sandbox org as "sandbox" instead. --concurrency (default 10) jobs at once; --lock-duration (default 30000 ms) is how soon another worker takes over the jobs of one that died. The fleet shares each org rate budget through the same Redis; while Redis is out of reach each worker uses 1/--fleet-size (default 4) of it alone. Each finished attempt prints one JSON line. Needs the bullmq and redis packages. A Redis it cannot reach exits 1.',
    syntax: {
      options: [
        'redis',
        'queue',
        'concurrency',
        'lock-duration',
        'fleet-size',
        'connections',
        'sandbox',
        'allow-loopback',
      ],
      exclusive: [{ options: ['connections', 'sandbox'], give: 'the connections' }],
      positionals: NO_ARGUMENTS,
    },
  },
  demo: {
    usage: 'okta-actions demo',
    summary:
      'Run a playbook (onboard, offboard, deactivate a lost device) against a sandbox started in this process.',
    syntax: { options: [], positionals: NO_ARGUMENTS },
  },
};

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const line = splitCommandLine(argv);
  const [command] = line.positionals;

  if (hasFlag(line, 'version')) {
    io.stdout(`${manifest.version}\n`);
    return 0;
  }
  if (!command) {
    io.stdout(`${generalHelp()}\n`);
    return hasFlag(line, 'help') ? 0 : USAGE_ERROR;
  }
  const spec = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!spec) {
    const near = closestName(command, Object.keys(COMMANDS));
    io.stderr(`Unknown command "${command}".${near ? ` Did you mean "${near}"?` : ''}\n\n${generalHelp()}\n`);
    return USAGE_ERROR;
  }
  if (hasFlag(line, 'help')) {
    io.stdout(
      `${spec.usage}\n\n${spec.summary}\n${['run', 'lookup', 'test-connection', 'poll', 'listen', 'mcp'].includes(command) ? `\n${CONNECTION_HELP}\n` : ''}\n${EXIT_CODES}\n`,
    );
    return 0;
  }

  try {
    const { values, positionals } = checkCommandLine(line, command, spec.syntax);
    return await runCommand(command, positionals, values, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`${error.message}\n\nUsage: ${spec.usage}\n(okta-actions ${command} --help says more.)\n`);
    return USAGE_ERROR;
  }
}

async function runCommand(
  command: string,
  positionals: string[],
  values: OptionValues,
  io: CliIo,
): Promise<number> {
  switch (command) {
    case 'actions':
      return listActions(io);
    case 'describe':
      return describeAction(positionals[0]!, io);
    case 'run':
      return runAction(positionals[0]!, values, io);
    case 'lookup':
      return lookupCommand(positionals[0]!, positionals[1]!, values, io);
    case 'scopes':
      return printScopes(positionals, io);
    case 'sandbox':
      return serveSandbox(
        {
          port: values.port,
          token: values.token,
          seed: values.seed,
          rateLimit: values['rate-limit'],
          latencyMs: values.latency,
        },
        io,
      );
    case 'demo':
      return demo(io);
    case 'triggers':
      return listTriggers(io);
    case 'poll':
      return pollCommand(
        {
          connection: await readConnectionAfter(() => knownTrigger(positionals[0]!), values, io),
          trigger: positionals[0]!,
          input: await readInput(values, io),
          cursor: values.cursor,
          since: values.since,
          follow: values.follow ?? false,
          options: { allowLoopback: values['allow-loopback'] ?? false },
        },
        io,
      );
    case 'listen':
      return listenTriggers(positionals, values, io);
    case 'playground':
      return servePlayground(
        {
          port: values.port ?? 0,
          connection: await readConnectionIfAny(values, io),
          allowLoopback: values['allow-loopback'] ?? false,
        },
        io,
      );
    case 'mcp':
      return mcpCommand(values, io);
    case 'worker':
      return workerCommand(values, io);
    default:
      return runTestConnection(values, io);
  }
}

async function mcpCommand(values: OptionValues, io: CliIo): Promise<number> {
  if (!values.http && (values.port !== undefined || values.token !== undefined)) {
    throw new UsageError('--port and --token are for --http (stdio needs neither).');
  }
  return serveMcp(
    {
      http: values.http ?? false,
      port: values.port ?? 0,
      token: values.token,
      connections: values.sandbox ? undefined : await readNamedConnections(values, io),
      allowLoopback: values['allow-loopback'] ?? false,
      readOnly: values['read-only'] ?? false,
      actions: listOption(values.actions),
      categories: listOption(values.categories),
    },
    io,
  );
}

async function workerCommand(values: OptionValues, io: CliIo): Promise<number> {
  if (values.redis === undefined)
    throw new UsageError('okta-actions worker needs --redis <url>, the Redis server of the queue.');
  if (values.connections === undefined && !values.sandbox)
    throw new UsageError(
      'okta-actions worker needs --connections <file.json> (connection names to connections), or --sandbox.',
    );
  return serveWorker(
    {
      redis: values.redis,
      queue: values.queue ?? 'okta-actions',
      concurrency: values.concurrency ?? 10,
      lockDurationMs: values['lock-duration'] ?? 30_000,
      connectionsFile: values.connections,
      allowLoopback: values['allow-loopback'] ?? false,
      fleetSize: values['fleet-size'] ?? 4,
    },
    io,
  );
}

async function listenTriggers(keys: string[], values: OptionValues, io: CliIo): Promise<number> {
  for (const key of keys) knownTrigger(key);
  if (values.input !== undefined && keys.length !== 1)
    throw new UsageError('--input holds the filters of one trigger: name exactly one trigger key with it.');
  const input = await readInput(values, io);
  const connection = await readConnection(values, io);
  return listenCommand(
    {
      connection,
      triggers: keys,
      input,
      port: values.port ?? 0,
      url: values.url,
      options: { allowLoopback: values['allow-loopback'] ?? false },
    },
    io,
  );
}

/** Checks what the command names first, then reads the connection (the order a person typed them). */
async function readConnectionAfter(check: () => unknown, values: OptionValues, io: CliIo) {
  check();
  return readConnection(values, io);
}

function generalHelp(): string {
  const lines = Object.values(COMMANDS).map((c) => `  ${c.usage}\n      ${c.summary}`);
  return `okta-actions ${manifest.version}: Okta actions for workflow automation.\n\nCommands:\n${lines.join('\n')}\n\n${CONNECTION_HELP}\n\n${EXIT_CODES}\nEvery command takes --help.`;
}

function printScopes(keys: string[], io: CliIo): number {
  try {
    for (const scope of scopesFor(keys)) io.stdout(`${scope}\n`);
    return 0;
  } catch (error) {
    throw new UsageError(`${(error as Error).message} List them with: okta-actions actions`);
  }
}

function listActions(io: CliIo): number {
  const keyWidth = Math.max(...manifest.actions.map((a) => a.key.length));
  const titleWidth = Math.max(...manifest.actions.map((a) => a.title.length));
  for (const action of manifest.actions) {
    io.stdout(`${action.key.padEnd(keyWidth)}  ${action.title.padEnd(titleWidth)}  ${action.category}\n`);
  }
  return 0;
}

function describeAction(key: string, io: CliIo): number {
  const action = knownAction(key);
  const effect = action.annotations.readOnly
    ? 'reads only'
    : action.annotations.destructive
      ? 'changes Okta (destructive)'
      : 'changes Okta';
  io.stdout(
    [
      `${action.title} (${action.key}), ${action.category}: ${effect}; scopes ${action.scopes.join(', ')}`,
      '',
      action.description,
      '',
      'Input schema:',
      JSON.stringify(action.input, null, 2),
      '',
      'Output schema:',
      JSON.stringify(action.output, null, 2),
      '',
      `Example (${action.examples[0]?.title ?? ''}):`,
      `  okta-actions run ${action.key} --input '${JSON.stringify(action.examples[0]?.input ?? {})}'`,
      '',
    ].join('\n'),
  );
  return 0;
}

/**
 * Everything a person can get wrong on the command line is checked first, in the order they typed it:
 * the action's name, then the input, then the connection; only then is anything sent.
 */
async function runAction(key: string, values: OptionValues, io: CliIo): Promise<number> {
  knownAction(key);
  const input = await readInput(values, io);
  const connection = await readConnection(values, io);

  const result = await execute(
    key,
    { connection, input, dryRun: values['dry-run'] ?? false },
    { allowLoopback: values['allow-loopback'] ?? false },
  );
  const { connectionUpdate, ...meta } = result.meta;
  await keepRefreshedTokens(connectionUpdate, connection, connectionFile(values), io);
  if (result.ok) {
    io.stdout(`${JSON.stringify(result.output, null, 2)}\n`);
    return 0;
  }
  io.stderr(`${JSON.stringify({ error: result.error, meta }, null, 2)}\n`);
  return FAILED;
}

async function runTestConnection(values: OptionValues, io: CliIo): Promise<number> {
  const connection = await readConnection(values, io);
  const result = await testConnection(connection, { allowLoopback: values['allow-loopback'] ?? false });
  await keepRefreshedTokens(result.connectionUpdate, connection, connectionFile(values), io);
  const print = result.ok ? io.stdout : io.stderr;
  if (values.json) {
    // Not connectionUpdate: the refreshed tokens went to the connection file, and never to the terminal.
    const { ok, message, details } = result;
    print(`${JSON.stringify({ ok, message, details }, null, 2)}\n`);
  } else {
    print(connectionSummary(result, { tableFollows: values.actions === true }));
    if (values.actions && result.details.actions) print(actionTable(result.details.actions));
  }
  return result.ok ? 0 : FAILED;
}

async function demo(io: CliIo): Promise<number> {
  const { runDemo } = await import('./demo.js');
  return (await runDemo({ out: (line) => io.stdout(`${line}\n`) })) ? 0 : 1;
}
