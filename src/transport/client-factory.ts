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
import { createRequire } from 'node:module';
import type { Client, RequestExecutor } from '@okta/okta-sdk-nodejs';
import type { V2Configuration } from '@okta/okta-sdk-nodejs/src/types/configuration.js';
import { isLoopbackHost } from '../connection/api-address.js';
import type { ResolvedConnection } from '../connection/connection.js';
import { guardedLookup } from '../http/address-guard.js';
import { manifest } from '../manifest/manifest.js';
import { type Authorizer, createAuthorizer } from '../oauth/authorizer.js';
import type { TokenTransport } from '../oauth/token-endpoint.js';
import { moduleUrl } from '../package/module-url.js';
import { createGuardedExecutor } from './guarded-executor.js';
import { createOktaHttp } from './okta-http.js';
import { sdkApiGroups } from './sdk-apis.js';

type OktaSdk = typeof import('@okta/okta-sdk-nodejs');

/** Clients kept at once; the least recently used is released beyond this (a host may serve many tenants). */
const MAX_CACHED_CLIENTS = 64;

let sdk: OktaSdk | undefined;

/**
 * Loads the whole SDK (~1 s and ~90 MB in a fresh process) for a full client, only when a handler asks a
 * client for something other than an API group's typed calls (sdk-apis.ts builds those from the group's
 * own modules); never for reading the manifest, nor for runs that only read JSON. Synchronous, as a
 * property access is: the SDK is CommonJS.
 */
function oktaSdk(): OktaSdk {
  if (!sdk) {
    // Not `require`: the ES module build has none (its bundler's stand-in throws). Resolved from this
    // package's own location, whichever build runs (src/package/module-url.ts).
    const module = createRequire(moduleUrl)('@okta/okta-sdk-nodejs') as OktaSdk & { default?: OktaSdk };
    sdk = module.default ?? module;
  }
  return sdk;
}

const clients = new Map<string, Promise<Client>>();
/** The fingerprint last inserted into `clients` (its most recently used). */
let mostRecent: string | undefined;

export function getOktaClient(connection: ResolvedConnection): Promise<Client> {
  const cached = clients.get(connection.fingerprint);
  if (cached) {
    // Re-insert to mark as most recently used (unless it already is: a host's runs often share one).
    if (connection.fingerprint !== mostRecent) {
      clients.delete(connection.fingerprint);
      clients.set(connection.fingerprint, cached);
      mostRecent = connection.fingerprint;
    }
    return cached;
  }
  mostRecent = connection.fingerprint;
  const created = new Promise<Client>((resolve) => resolve(buildClient(connection)));
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
 * renews). The SDK's own OAuth mode is not used: it masks a failed token request as a 401 E0000011, signs
 * with RSA keys only, has no client-secret or ready-made-token mode (OKTA-PITFALLS.md), and its DPoP proofs
 * name percent-encoded paths, which Okta refuses (okta-sdk-nodejs#521).
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

/**
 * A connection's client: its own guarded transport and authorizer, an SDK-free `http` for the raw JSON
 * path, and the SDK's API groups (userApi, groupApi, ...), each built on first use from the SDK's modules
 * for that group (sdk-apis.ts); anything else a handler might ask for, from a real SDK client built on
 * first use with the same transport. Everything goes through the one executor either way.
 */
function buildClient(connection: ResolvedConnection): Client {
  const agent = connectionAgent(connection.orgUrl);
  const origin = new URL(connection.orgUrl).origin;
  let executor: RequestExecutor | undefined;
  // Token requests go through the same guarded transport (origin check, timeouts, governor) as the rest.
  const sendToken: TokenTransport = async (url, form, headers) => {
    const response = await executor!.fetch({
      url,
      method: 'POST',
      body: form,
      headers: { 'User-Agent': USER_AGENT, ...headers },
    });
    return { status: response.status, headers: response.headers, text: () => response.text() };
  };
  const authorizer = createAuthorizer(connection.credentials(), connection.orgUrl, sendToken);
  executor = createGuardedExecutor(origin, agent, authorizer);
  const http = createOktaHttp(executor, USER_AGENT);
  let sdkClient: Client | undefined;
  const fullClient = () => {
    sdkClient ??= buildSdkClient(connection, executor!);
    return sdkClient;
  };
  // The API groups the handlers use, each from the SDK's modules for that group (sdk-apis.ts).
  const apiGroup = sdkApiGroups(connection.orgUrl, executor, (name) => Reflect.get(fullClient(), name));
  const client = new Proxy({} as Client, {
    get(_target, name) {
      if (name === 'http') return http;
      // Not a thenable (it is resolved from a promise), and nothing for inspection's symbols.
      if (typeof name !== 'string' || name === 'then') return undefined;
      return apiGroup(name) ?? Reflect.get(fullClient(), name);
    },
  });
  authorizers.set(client, authorizer);
  agents.set(client, agent);
  return client;
}

/** The User-Agent of the raw JSON path's requests (the SDK's own say okta-actions, then the SDK's version). */
const USER_AGENT = `okta-actions/${manifest.version} node/${process.versions.node}`;

function buildSdkClient(connection: ResolvedConnection, executor: RequestExecutor): Client {
  const { Client: SdkClient } = oktaSdk();
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
  const client = new SdkClient(settings);
  // The SDK installs an HttpsProxyAgent when HTTPS_PROXY is set; our executor sets its own agent anyway,
  // and this keeps the environment's proxy out of the picture entirely.
  client.http.agent = undefined;
  return client;
}
