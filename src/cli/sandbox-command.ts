/**
 * `okta-actions sandbox`: serves a local Okta org on 127.0.0.1 until stopped. A port it cannot listen on
 * is a failure to start, said in words with what to do (exit 1), not an "unexpected failure" with Node's
 * error code: the command line was right, the machine was not ready for it.
 */
import type { CliIo } from './cli-io.js';

export interface SandboxCommandOptions {
  port?: number;
  token?: string;
  seed?: number;
  rateLimit?: number;
  latencyMs?: number;
}

export async function serveSandbox(options: SandboxCommandOptions, io: CliIo): Promise<number> {
  // Loaded on demand: the sandbox (Okta's API description, the org) is most of what the CLI could load.
  const { DEFAULT_SANDBOX_TOKEN, startSandbox } = await import('../sandbox/index.js');
  const port = options.port ?? 0;
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  try {
    sandbox = await startSandbox({
      port,
      token: options.token ?? DEFAULT_SANDBOX_TOKEN,
      seed: options.seed ?? 0,
      ...(options.rateLimit !== undefined ? { rateLimit: options.rateLimit } : {}),
      latencyMs: options.latencyMs ?? 0,
    });
  } catch (error) {
    const explained = explainListenFailure(error, port);
    if (!explained) throw error;
    io.stderr(`${explained}\n`);
    return 1;
  }
  io.stdout(`Okta sandbox listening on ${sandbox.url} (API token: ${sandbox.token})\n`);
  await io.untilStopped();
  await sandbox.close();
  return 0;
}

/** What to tell a person whose port could not be listened on; undefined for any other failure. */
export function explainListenFailure(error: unknown, port: number): string | undefined {
  const advice = 'choose another with --port, or --port 0 for a free one';
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case 'EADDRINUSE':
      return `Port ${port} is already in use; ${advice}.`;
    case 'EACCES':
      return `Port ${port} may not be used by this user (ports below 1024 usually need privileges); ${advice}.`;
    default:
      return undefined;
  }
}

/**
 * Starts a local server, says where it is, serves until stopped and closes it: exit 0; a port it cannot
 * listen on is said in words with what to do (exit 1). The playground and the MCP server use it.
 */
export async function serveUntilStopped<Served extends { close(): Promise<void> }>(
  start: () => Promise<Served>,
  announce: (server: Served) => void,
  port: number,
  io: CliIo,
): Promise<number> {
  let server: Served;
  try {
    server = await start();
  } catch (error) {
    const explained = explainListenFailure(error, port);
    if (!explained) throw error;
    io.stderr(`${explained}\n`);
    return 1;
  }
  announce(server);
  await io.untilStopped();
  await server.close();
  return 0;
}
