/**
 * The okta-actions command line, for people and scripts: list and describe actions, run one, test a
 * connection. Everything goes through the same execute() and testConnection() a host uses.
 *
 * The connection comes from --connection <file.json>, or else from OKTA_API_ADDRESS and OKTA_API_TOKEN.
 * (Only the CLI reads the environment; the library never does.) When a run refreshes an
 * oauth_access_token connection's tokens, the new ones are written back to that file: Okta rotates
 * refresh tokens, so the file's old one no longer works (a host stores meta.connectionUpdate the same way).
 */
import { parseArgs } from 'node:util';
import { manifest } from '../manifest.js';
import type { ConnectionUpdate } from '../oauth/authorizer.js';
import { scopesFor } from '../oauth/scopes.js';
import { execute } from '../runtime/execute.js';
import { testConnection } from '../runtime/test-connection.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  readFile: (path: string) => Promise<string>;
  writeFile: (path: string, text: string) => Promise<void>;
  /** Resolves when a long-running command should stop (the sandbox: on Ctrl-C / SIGTERM). */
  untilStopped: () => Promise<void>;
}

/** Exit codes: 0 success, 1 the action or test failed, 2 the command line itself was wrong. */
const USAGE_ERROR = 2;

const COMMANDS: Record<string, { usage: string; summary: string }> = {
  actions: { usage: 'okta-actions actions', summary: 'List every action: key, title and category.' },
  describe: {
    usage: 'okta-actions describe <action-key>',
    summary: "Show an action's description, input and output schema, and an example input.",
  },
  run: {
    usage:
      "okta-actions run <action-key> (--input '<json>' | --input-file <path>) [--dry-run] [--connection <file.json>] [--allow-loopback]",
    summary:
      'Run an action. Prints the output as JSON; on failure prints the error as JSON to stderr and exits 1. With --dry-run it prints what the action would change, and changes nothing.',
  },
  scopes: {
    usage: 'okta-actions scopes <action-key>...',
    summary:
      'Print the Okta API scopes the actions need (one per line): what to grant an API Services app, or to ask for in an authorization-code flow (with openid and offline_access).',
  },
  'test-connection': {
    usage: 'okta-actions test-connection [--connection <file.json>] [--allow-loopback]',
    summary: 'Check the connection with one cheap read and say who the token acts as.',
  },
  sandbox: {
    usage:
      'okta-actions sandbox [--port <n>] [--token <t>] [--seed <users>] [--rate-limit <per-minute>] [--latency <ms>]',
    summary:
      'Serve a local Okta org on 127.0.0.1 until interrupted (--port 0 picks a free port; --seed adds generated users).',
  },
  demo: {
    usage: 'okta-actions demo',
    summary:
      'Run a playbook (onboard, offboard, deactivate a lost device) against a sandbox started in this process.',
  },
};

const CONNECTION_HELP = `Connection: --connection <file.json> holding a connection of any type in the manifest, like
{"type":"api_token","apiAddress":"acme.okta.com","apiToken":"00..."} or
{"type":"oauth_client_secret","apiAddress":"acme.okta.com","clientId":"0oa...","clientSecret":"...","scopes":["okta.users.read"]},
or the environment variables OKTA_API_ADDRESS and OKTA_API_TOKEN (an API token).
Tokens an oauth_access_token connection refreshes are written back to its file (the old refresh token is spent).
--allow-loopback lets the address be http://127.0.0.1:<port> or http://localhost:<port> (a local sandbox).`;

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${generalHelp()}\n`);
    return USAGE_ERROR;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;

  if (values.version) {
    io.stdout(`${manifest.version}\n`);
    return 0;
  }
  if (!command) {
    io.stdout(`${generalHelp()}\n`);
    return values.help ? 0 : USAGE_ERROR;
  }
  const spec = COMMANDS[command];
  if (!spec) {
    io.stderr(`Unknown command "${command}".\n\n${generalHelp()}\n`);
    return USAGE_ERROR;
  }
  if (values.help) {
    io.stdout(
      `${spec.usage}\n\n${spec.summary}\n${command === 'run' || command === 'test-connection' ? `\n${CONNECTION_HELP}\n` : ''}`,
    );
    return 0;
  }

  switch (command) {
    case 'actions':
      return listActions(io);
    case 'describe':
      return describeAction(rest[0], io);
    case 'run':
      return runAction(rest[0], values, io);
    case 'sandbox':
      return serveSandbox(values, io);
    case 'demo':
      return demo(io);
    case 'scopes':
      return printScopes(rest, io);
    default:
      return runTestConnection(values, io);
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      input: { type: 'string' },
      'input-file': { type: 'string' },
      connection: { type: 'string' },
      'allow-loopback': { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      port: { type: 'string' },
      token: { type: 'string' },
      seed: { type: 'string' },
      'rate-limit': { type: 'string' },
      latency: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', default: false },
    },
  });
}

type CliValues = ReturnType<typeof parse>['values'];

function generalHelp(): string {
  const lines = Object.values(COMMANDS).map((c) => `  ${c.usage}\n      ${c.summary}`);
  return `okta-actions ${manifest.version}: Okta actions for workflow automation.\n\nCommands:\n${lines.join('\n')}\n\n${CONNECTION_HELP}\n\nEvery command takes --help.`;
}

function printScopes(keys: string[], io: CliIo): number {
  if (keys.length === 0) {
    io.stderr(`Name one or more actions.\n\n${COMMANDS.scopes!.usage}\n`);
    return USAGE_ERROR;
  }
  try {
    for (const scope of scopesFor(keys)) io.stdout(`${scope}\n`);
    return 0;
  } catch (error) {
    io.stderr(`${(error as Error).message} List them with: okta-actions actions\n`);
    return USAGE_ERROR;
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

function describeAction(key: string | undefined, io: CliIo): number {
  const action = manifest.actions.find((a) => a.key === key);
  if (!action) {
    io.stderr(
      `${key ? `There is no action "${key}".` : 'Name an action.'} List them with: okta-actions actions\n`,
    );
    return USAGE_ERROR;
  }
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

async function runAction(key: string | undefined, values: CliValues, io: CliIo): Promise<number> {
  if (!key) {
    io.stderr(`Name the action to run.\n\n${COMMANDS.run!.usage}\n`);
    return USAGE_ERROR;
  }
  if (values.input !== undefined && values['input-file'] !== undefined) {
    io.stderr('Give the input either with --input or with --input-file, not both.\n');
    return USAGE_ERROR;
  }
  const input = await readJsonArgument(
    values.input ?? (values['input-file'] ? await readFileOrReport(values['input-file'], io) : '{}'),
    values['input-file'] ? `the file ${values['input-file']}` : '--input',
    io,
  );
  if (input === undefined) return USAGE_ERROR;
  const connection = await readConnection(values, io);
  if (connection === undefined) return USAGE_ERROR;

  const result = await execute(
    key,
    { connection, input, dryRun: values['dry-run'] },
    { allowLoopback: values['allow-loopback'] },
  );
  const { connectionUpdate, ...meta } = result.meta;
  await keepRefreshedTokens(connectionUpdate, connection, values.connection, io);
  if (result.ok) {
    io.stdout(`${JSON.stringify(result.output, null, 2)}\n`);
    return 0;
  }
  io.stderr(`${JSON.stringify({ error: result.error, meta }, null, 2)}\n`);
  return 1;
}

async function runTestConnection(values: CliValues, io: CliIo): Promise<number> {
  const connection = await readConnection(values, io);
  if (connection === undefined) return USAGE_ERROR;
  const result = await testConnection(connection, { allowLoopback: values['allow-loopback'] });
  await keepRefreshedTokens(result.connectionUpdate, connection, values.connection, io);
  (result.ok ? io.stdout : io.stderr)(`${result.message}\n${JSON.stringify(result.details, null, 2)}\n`);
  return result.ok ? 0 : 1;
}

async function serveSandbox(values: CliValues, io: CliIo): Promise<number> {
  const numbers: Record<string, number | undefined> = {};
  for (const name of ['port', 'seed', 'rate-limit', 'latency'] as const) {
    const raw = values[name];
    if (raw === undefined) continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) {
      io.stderr(`--${name} must be a whole number of 0 or more, not "${raw}".\n`);
      return USAGE_ERROR;
    }
    numbers[name] = value;
  }
  if (values.token !== undefined && !/^[\x21-\x7e]+$/.test(values.token)) {
    io.stderr('--token must be printable characters without spaces.\n');
    return USAGE_ERROR;
  }
  const { DEFAULT_SANDBOX_TOKEN, startSandbox } = await import('../sandbox/index.js');
  const sandbox = await startSandbox({
    port: numbers.port ?? 0,
    token: values.token ?? DEFAULT_SANDBOX_TOKEN,
    seed: numbers.seed ?? 0,
    ...(numbers['rate-limit'] ? { rateLimit: numbers['rate-limit'] } : {}),
    latencyMs: numbers.latency ?? 0,
  });
  io.stdout(`Okta sandbox listening on ${sandbox.url} (API token: ${sandbox.token})\n`);
  await io.untilStopped();
  await sandbox.close();
  return 0;
}

async function demo(io: CliIo): Promise<number> {
  const { runDemo } = await import('./demo.js');
  return (await runDemo({ out: (line) => io.stdout(`${line}\n`) })) ? 0 : 1;
}

/**
 * Tokens a run refreshed go back into the connection file, never to the terminal: printing them would put
 * secrets in a shell's scrollback and logs. (A connection from the environment is an API token: never
 * refreshed.)
 */
async function keepRefreshedTokens(
  update: ConnectionUpdate | undefined,
  connection: unknown,
  file: string | undefined,
  io: CliIo,
): Promise<void> {
  if (!update || !file) return;
  try {
    await io.writeFile(file, `${JSON.stringify({ ...(connection as object), ...update }, null, 2)}\n`);
    io.stderr(
      `The access token was refreshed; ${file} now holds the new tokens (the old refresh token no longer works).\n`,
    );
  } catch (error) {
    io.stderr(
      `The access token was refreshed, but ${file} could not be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): the refresh token it holds no longer works; reconnect to get new tokens.\n`,
    );
  }
}

async function readConnection(values: CliValues, io: CliIo): Promise<unknown> {
  if (values.connection) {
    const text = await readFileOrReport(values.connection, io);
    return text === undefined
      ? undefined
      : readJsonArgument(text, `the connection file ${values.connection}`, io);
  }
  const apiAddress = io.env.OKTA_API_ADDRESS;
  const apiToken = io.env.OKTA_API_TOKEN;
  if (!apiAddress || !apiToken) {
    const missing = [!apiAddress && 'OKTA_API_ADDRESS', !apiToken && 'OKTA_API_TOKEN']
      .filter(Boolean)
      .join(' and ');
    io.stderr(
      `No Okta connection: ${missing} ${missing.includes(' and ') ? 'are' : 'is'} not set and no --connection file was given.\n\n${CONNECTION_HELP}\n`,
    );
    return undefined;
  }
  return { type: 'api_token', apiAddress, apiToken };
}

async function readFileOrReport(path: string, io: CliIo): Promise<string | undefined> {
  try {
    return withoutByteOrderMark(await io.readFile(path));
  } catch (error) {
    io.stderr(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
    return undefined;
  }
}

function readJsonArgument(text: string | undefined, source: string, io: CliIo): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    io.stderr(`${source} is not valid JSON: ${(error as Error).message}\n`);
    return undefined;
  }
}

/**
 * Windows editors save UTF-8 with a byte order mark (Notepad, PowerShell's `Out-File -Encoding utf8`);
 * it marks the encoding, it is not content, and JSON.parse refuses it.
 */
function withoutByteOrderMark(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}
