/**
 * The playground's API: what its page asks of okta-actions, answered by the same execute(),
 * testConnection(), lookup() and inputSchema() a host calls. The connection stays here: the page sends
 * it once (or the playground was started with one, the sandbox's), and no secret ever goes back to the
 * page: not the connection, not tokens a run refreshed (they replace the kept connection instead).
 */
import { manifest } from '../manifest/manifest.js';
import { execute } from '../runtime/execute.js';
import type { HostOptions } from '../runtime/host-call.js';
import { inputSchema } from '../runtime/input-schema.js';
import { testConnection } from '../runtime/test-connection.js';

export interface PlaygroundSession {
  /** The connection the page's requests run with, once set. */
  connection: Record<string, unknown> | undefined;
  /** Shown to the page instead of the connection: its type and address, never a secret. */
  readonly options: HostOptions;
}

type Handler = (body: Record<string, unknown>, session: PlaygroundSession) => Promise<unknown>;

/** The manifest, as the page draws its forms from it. */
const getManifest: Handler = async () => manifest;

const setConnection: Handler = async (body, session) => {
  const connection = body.connection;
  if (typeof connection !== 'object' || connection === null || Array.isArray(connection))
    return { ok: false, message: 'connection must be an object' };
  session.connection = connection as Record<string, unknown>;
  return testConnectionOf(session);
};

const testConnectionOf = async (session: PlaygroundSession) => {
  if (!session.connection) return { ok: false, message: 'No connection yet: fill in the connection form.' };
  const result = await testConnection(session.connection, session.options);
  keepRefreshed(session, result.connectionUpdate);
  const { connectionUpdate: _secret, ...shown } = result;
  return { ...shown, connection: describeConnection(session.connection) };
};

const run: Handler = async (body, session) => {
  if (!session.connection)
    return { ok: false, error: { code: 'INVALID_CONNECTION', message: 'No connection yet.' } };
  const result = await execute(
    String(body.action),
    { connection: session.connection, input: body.input ?? {}, dryRun: body.dryRun === true },
    session.options,
  );
  const { connectionUpdate, ...meta } = result.meta;
  keepRefreshed(session, connectionUpdate);
  return { ...result, meta };
};

const lookupOptions: Handler = async (body, session) => {
  if (!session.connection)
    return { ok: false, error: { code: 'INVALID_CONNECTION', message: 'No connection yet.' } };
  const { lookup } = await import('../runtime/lookup.js');
  const result = await lookup(
    String(body.action),
    String(body.field),
    {
      connection: session.connection,
      ...(typeof body.search === 'string' && body.search !== '' ? { search: body.search } : {}),
      ...(typeof body.cursor === 'string' ? { cursor: body.cursor } : {}),
      ...(body.input && typeof body.input === 'object'
        ? { input: body.input as Record<string, unknown> }
        : {}),
    },
    session.options,
  );
  const { connectionUpdate, ...meta } = result.meta ?? {};
  keepRefreshed(session, connectionUpdate);
  return { ...result, meta };
};

/** The action's input schema for the page's form, with the org's own profile attributes. */
const orgInputSchema: Handler = async (body, session) => {
  if (!session.connection)
    return { ok: false, error: { code: 'INVALID_CONNECTION', message: 'No connection yet.' } };
  const result = await inputSchema(
    String(body.action),
    {
      connection: session.connection,
      ...(body.input && typeof body.input === 'object' ? { input: body.input } : {}),
    },
    session.options,
  );
  const { connectionUpdate, ...meta } = result.meta;
  keepRefreshed(session, connectionUpdate);
  return { ...result, meta };
};

export const API_ROUTES: Record<string, Handler> = {
  '/api/manifest': getManifest,
  '/api/connection': setConnection,
  '/api/test-connection': async (_body, session) => testConnectionOf(session),
  '/api/run': run,
  '/api/lookup': lookupOptions,
  '/api/input-schema': orgInputSchema,
};

/** The connection as the page may see it: its type and address, nothing secret. */
export function describeConnection(connection: Record<string, unknown> | undefined) {
  if (!connection) return null;
  return { type: connection.type ?? null, apiAddress: connection.apiAddress ?? null };
}

function keepRefreshed(session: PlaygroundSession, update: unknown): void {
  if (update && typeof update === 'object' && session.connection)
    session.connection = { ...session.connection, ...(update as Record<string, unknown>) };
}
