/**
 * `okta-actions playground`: serves the playground page on 127.0.0.1 and prints its URL (with the
 * session token) until stopped. With no connection configured it starts the built-in sandbox and uses
 * it, so that anyone can try it without an Okta org.
 */
import type { CliIo } from './cli-io.js';
import { serveUntilStopped } from './sandbox-command.js';

export interface PlaygroundCommand {
  port: number;
  /** The connection from --connection or the environment; undefined: use the built-in sandbox. */
  connection: Record<string, unknown> | undefined;
  allowLoopback: boolean;
}

export async function servePlayground(command: PlaygroundCommand, io: CliIo): Promise<number> {
  const { packageRootUrl } = await import('../package/module-url.js');
  const { startPlayground } = await import('../playground/server.js');
  let sandbox: { url: string; token: string; close(): Promise<void> } | undefined;
  let connection = command.connection;
  if (!connection) {
    const { startSandbox } = await import('../sandbox/index.js');
    sandbox = await startSandbox();
    connection = { type: 'api_token', apiAddress: sandbox.url, apiToken: sandbox.token };
    io.stderr(`No Okta connection configured: using a local sandbox org at ${sandbox.url}.\n`);
  }
  try {
    return await serveUntilStopped(
      () =>
        startPlayground({
          port: command.port,
          connection,
          hostOptions: { allowLoopback: command.allowLoopback || sandbox !== undefined },
          assetsDir: new URL('dist/playground/', packageRootUrl),
        }),
      (playground) => {
        io.stdout(`okta-actions playground: open ${playground.url}\n`);
        io.stderr('Only this machine can reach it, and only with the token in that URL. Stop with Ctrl-C.\n');
      },
      command.port,
      io,
    );
  } finally {
    await sandbox?.close();
  }
}
