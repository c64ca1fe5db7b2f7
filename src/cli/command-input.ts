/**
 * What commands read from the command line besides their own options: the input (--input, --input-file),
 * the connection (--connection, or the environment's OKTA_API_ADDRESS and OKTA_API_TOKEN), and where
 * refreshed tokens go (back to the connection file).
 */
import { type ActionContract, findAction, manifest } from '../manifest/manifest.js';
import type { ConnectionUpdate } from '../oauth/authorizer.js';
import { closestName } from '../schema/suggest.js';
import type { CliIo } from './cli-io.js';
import { parseJsonObject, readTextFile } from './json-input.js';
import type { OptionValues } from './options.js';
import { UsageError } from './usage-error.js';

export const CONNECTION_HELP = `Connection: --connection <file.json> holding a connection of any type in the manifest, like
{"type":"api_token","apiAddress":"acme.okta.com","apiToken":"00..."} or
{"type":"oauth_client_secret","apiAddress":"acme.okta.com","clientId":"0oa...","clientSecret":"...","scopes":["okta.users.read"]},
or the environment variables OKTA_API_ADDRESS and OKTA_API_TOKEN (an API token).
Tokens an oauth_access_token connection refreshes are written back to its file (the old refresh token is spent).
--allow-loopback lets the address be http://127.0.0.1:<port> or http://localhost:<port> (a local sandbox).`;

/**
 * Tokens a run refreshed go back into the connection file, never to the terminal: printing them would put
 * secrets in a shell's scrollback and logs. (A connection from the environment is an API token: never
 * refreshed.)
 */
export async function keepRefreshedTokens(
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

export async function readInput(values: OptionValues, io: CliIo): Promise<Record<string, unknown>> {
  const source = { what: 'the input' };
  if (values.input !== undefined) return parseJsonObject(values.input, { ...source, where: '--input' });
  const file = values['input-file'];
  if (file === undefined) return {};
  return parseJsonObject(await readTextFile(file, io.readFile), { ...source, where: `the file ${file}` });
}

/** The connection when one is configured (a file, or the environment); undefined otherwise. */
export async function readConnectionIfAny(values: OptionValues, io: CliIo) {
  if (values.connection === undefined && !io.env.OKTA_API_ADDRESS && !io.env.OKTA_API_TOKEN) return undefined;
  return readConnection(values, io);
}

/** The one --connection file of a command that takes one (only mcp takes several). */
export function connectionFile(values: OptionValues): string | undefined {
  const file = values.connection;
  if (Array.isArray(file)) throw new UsageError('--connection is given more than once; give it once.');
  return file;
}

export async function readConnection(values: OptionValues, io: CliIo): Promise<Record<string, unknown>> {
  const file = connectionFile(values);
  if (file !== undefined) {
    return parseJsonObject(await readTextFile(file, io.readFile), {
      what: 'the connection',
      where: `the connection file ${file}`,
    });
  }
  const apiAddress = io.env.OKTA_API_ADDRESS;
  const apiToken = io.env.OKTA_API_TOKEN;
  if (!apiAddress || !apiToken) {
    const missing = [!apiAddress && 'OKTA_API_ADDRESS', !apiToken && 'OKTA_API_TOKEN']
      .filter(Boolean)
      .join(' and ');
    throw new UsageError(
      `No Okta connection: ${missing} ${missing.includes(' and ') ? 'are' : 'is'} not set and no --connection file was given.\n\n${CONNECTION_HELP}`,
    );
  }
  return { type: 'api_token', apiAddress, apiToken };
}

/** The action a command names; an unknown key is a UsageError that suggests the closest one. */
export function knownAction(key: string): ActionContract {
  const action = findAction(key);
  if (action) return action;
  const near = closestName(
    key,
    manifest.actions.map((a) => a.key),
  );
  throw new UsageError(
    `There is no action "${key}".${near ? ` Did you mean "${near}"?` : ''} List them with: okta-actions actions`,
  );
}
