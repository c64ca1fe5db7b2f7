/**
 * Builds one safe SDK client per connection and reuses it for the connection's fingerprint.
 *
 * Every setting is explicit: the SDK's constructor otherwise fills missing ones from OKTA_CLIENT_*
 * environment variables and okta.yaml files, which in a multi-tenant host could send one tenant's request
 * with another's credentials. The SDK's default cache (never expires, blind to changes) is off, and its
 * HTTPS_PROXY pick-up is undone: the host, not the environment, decides where requests go.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent, type AgentOptions as HttpsAgentOptions } from 'node:https';
import type { Client, RequestExecutor } from '@okta/okta-sdk-nodejs';
import type { V2Configuration } from '@okta/okta-sdk-nodejs/src/types/configuration.js';
import { guardedLookup } from '../connection/address-guard.js';
import { isLoopbackHost } from '../connection/api-address.js';
import type { ResolvedConnection } from '../connection/connection.js';
import { type Authorizer, createAuthorizer } from '../oauth/authorizer.js';
import type { TokenTransport } from '../oauth/token-endpoint.js';
import { createGuardedExecutor } from './guarded-executor.js';

type OktaSdk = typeof import('@okta/okta-sdk-nodejs');

/** Clients kept at once; the least recently used is released beyond this (a host may serve many tenants). */
const MAX_CACHED_CLIENTS = 64;

let sdkPromise: Promise<OktaSdk> | undefined;

/** Loads the SDK on first use: it takes ~0.7 s and ~90 MB, which listing actions must never pay. */
export function loadOktaSdk(): Promise<OktaSdk> {
  sdkPromise ??= import('@okta/okta-sdk-nodejs')
    .then((module) => ((module as { default?: OktaSdk }).default ?? module) as OktaSdk)
    .catch((error: unknown) => {
      sdkPromise = undefined;
      throw error;
    });
  return sdkPromise;
}

const clients = new Map<string, Promise<Client>>();

export function getOktaClient(connection: ResolvedConnection): Promise<Client> {
  const cached = clients.get(connection.fingerprint);
  if (cached) {
    // Re-insert to mark as most recently used.
    clients.delete(connection.fingerprint);
    clients.set(connection.fingerprint, cached);
    return cached;
  }
  const created = loadOktaSdk().then((sdk) => buildClient(sdk, connection));
  created.catch(() => clients.delete(connection.fingerprint));
  clients.set(connection.fingerprint, created);
  while (clients.size > MAX_CACHED_CLIENTS) {
    const oldest = clients.keys().next().value as string;
    const evicted = clients.get(oldest);
    clients.delete(oldest);
    evicted?.then(closeIdleSockets, () => {});
  }
  return created;
}

/**
 * A released client's idle keep-alive sockets are closed now rather than when the server or the agent's
 * timeout gets to it (bench/tenants.mjs saw them outlive their client by seconds). Sockets still serving
 * a request are left alone: a released client may be finishing a run.
 */
function closeIdleSockets(client: Client): void {
  const agent = agents.get(client);
  for (const sockets of Object.values(agent?.freeSockets ?? {}))
    for (const socket of sockets ?? []) socket.destroy();
}

/** Number of clients currently kept (for tests and benchmarks). */
export function cachedClientCount(): number {
  return clients.size;
}

/**
 * The agent of one connection's client. Idle keep-alive sockets close after 15 s, so a released client
 * leaves nothing open for long. Names resolve through the guard: whatever the address says, no private,
 * link-local or metadata address is connected to (loopback only for a loopback org, a local sandbox).
 * `resolve` replaces DNS in tests.
 */
export function connectionAgent(orgUrl: string, resolve?: Parameters<typeof guardedLookup>[1]): HttpAgent {
  const loopbackOrg = isLoopbackHost(new URL(orgUrl).hostname);
  const agentOptions = {
    keepAlive: true,
    maxSockets: 32,
    timeout: 15_000,
    lookup: guardedLookup(loopbackOrg, resolve) as unknown as HttpsAgentOptions['lookup'],
  };
  return orgUrl.startsWith('https:') ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
}

/**
 * The SDK is built in its SSWS mode with a placeholder token: every request's credentials come from the
 * connection's authorizer instead, set by the transport (an API token, or an OAuth token it obtains and
 * renews). The SDK's own OAuth mode is not used: it hides token errors, keeps a token past its expiry,
 * signs RS256 only and has no client-secret or ready-made-token mode (OKTA-PITFALLS.md).
 */
const SDK_PLACEHOLDER_TOKEN = 'set-per-request-by-okta-actions';

const authorizers = new WeakMap<Client, Authorizer>();
const agents = new WeakMap<Client, HttpAgent>();

/** The authorizer of a client built here: its granted scopes, refreshed tokens, advice after a 401. */
export function authorizerOf(client: Client): Authorizer {
  const authorizer = authorizers.get(client);
  if (!authorizer) throw new Error('authorizerOf: not a client built by okta-actions');
  return authorizer;
}

function buildClient(sdk: OktaSdk, connection: ResolvedConnection): Client {
  const agent = connectionAgent(connection.orgUrl);
  const origin = new URL(connection.orgUrl).origin;
  let executor: RequestExecutor | undefined;
  // Token requests go through the same guarded transport (origin check, timeouts, governor) as the rest.
  const sendToken: TokenTransport = async (url, form, headers) => {
    const response = await executor!.fetch({ url, method: 'POST', body: form, headers });
    return { status: response.status, headers: response.headers, text: () => response.text() };
  };
  const authorizer = createAuthorizer(connection.credentials(), connection.orgUrl, sendToken);
  executor = createGuardedExecutor(sdk.RequestExecutor, origin, agent, authorizer);
  const settings: V2Configuration & { userAgent: string } = {
    orgUrl: connection.orgUrl,
    authorizationMode: 'SSWS',
    token: SDK_PLACEHOLDER_TOKEN,
    // Empty, not absent: an absent key would be filled from OKTA_CLIENT_* or okta.yaml.
    clientId: '',
    scopes: [],
    privateKey: '',
    keyId: '',
    cacheMiddleware: null,
    requestExecutor: executor,
    userAgent: 'okta-actions',
  };
  const client = new sdk.Client(settings);
  // The SDK installs an HttpsProxyAgent when HTTPS_PROXY is set; our executor sets its own agent anyway,
  // and this keeps the environment's proxy out of the picture entirely.
  client.http.agent = undefined;
  authorizers.set(client, authorizer);
  agents.set(client, agent);
  return client;
}
