/**
 * A local Okta org on loopback: stateful, faithful to Okta's published API description for every endpoint
 * the actions use, with rate limits and faults on demand. For the demo, end-to-end tests, benchmarks and
 * fault drills; nothing here talks to a real Okta org.
 *
 *   import { startSandbox } from 'okta-actions/sandbox';
 *   const sandbox = await startSandbox({ seed: 1000 });
 *   // connection: { type: 'api_token', apiAddress: sandbox.url, apiToken: sandbox.token }, host option allowLoopback
 *   await sandbox.close();
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Faults } from './faults.js';
import okta from './generated/okta-api.json';
import { OktaApiDescription, type OpenApiDocument } from './okta-api.js';
import { SandboxOrg } from './org.js';
import { RateLimiter, type RateLimitSettings } from './rate-limits.js';
import { onApiTokenRevoked, registerApiToken } from './resources/security.js';
import type { Principal } from './route.js';
import { seedBase, seedBulk } from './seed.js';
import { handleRequest, type ServedRequest, type ServerState } from './server.js';

export type { Fault, FaultRule } from './faults.js';
export { SandboxOrg } from './org.js';
export type { ServedRequest } from './server.js';

/** The sandbox's fixed development token (documented; not a secret, and useless against a real org). */
export const DEFAULT_SANDBOX_TOKEN = '00sandboxDevelopmentTokenNotForRealOrgs42';

export interface SandboxOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** The admin API token clients must send (SSWS). Default DEFAULT_SANDBOX_TOKEN. */
  token?: string;
  /** Generated users to add to the base cast (up to hundreds of thousands). Default 0. */
  seed?: number;
  /** Seed of the id generator: the same value gives the same ids. */
  randomSeed?: number;
  /** Requests per minute per endpoint, or per-operation budgets too. Default 600 per endpoint. */
  rateLimit?: number | Partial<RateLimitSettings>;
  /** Added to every answer, in milliseconds. Default 0. */
  latencyMs?: number;
  /** Requests in flight at once before 429. Default 75 (Okta's per-org concurrency limit). */
  maxConcurrent?: number;
  /** Answer 500 when an answer would break Okta's API description (default true: sandbox bugs show). */
  checkResponses?: boolean;
}

export interface Sandbox {
  /** Base URL, e.g. http://127.0.0.1:43121: the connection's apiAddress (with the host's allowLoopback). */
  url: string;
  port: number;
  /** The admin API token. */
  token: string;
  org: SandboxOrg;
  faults: Faults;
  rateLimits: RateLimiter;
  /** Adds another token, e.g. one whose admin lost its role (`admin: false`: management calls answer 403). */
  addToken(token: string, options?: { admin?: boolean }): void;
  /** Answers of the sandbox that broke Okta's API description (sandbox bugs): tests expect none. */
  contractViolations: string[];
  /** Requests received that broke Okta's description (each was refused with 400 E0000001). */
  requestViolations: string[];
  /** The last requests served (method, path, operation, status, token hash). */
  served: ServedRequest[];
  close(): Promise<void>;
}

let api: OktaApiDescription | undefined;

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  api ??= new OktaApiDescription(okta as unknown as OpenApiDocument);
  const org = new SandboxOrg(options.randomSeed);
  const { admin, groups } = seedBase(org);
  if (options.seed) seedBulk(org, options.seed, groups);
  org.log.actor = {
    id: admin.id,
    type: 'User',
    alternateId: admin.profile.login,
    displayName: 'Sandbox Admin',
  };

  const token = options.token ?? DEFAULT_SANDBOX_TOKEN;
  const tokens = new Map<string, Principal>([[token, { token, userId: admin.id, admin: true }]]);
  // Tokens are listed by the API tokens API, and a revoked one answers 401 E0000011 from then on.
  registerApiToken(org, token, { userId: admin.id, name: 'Sandbox admin token' });
  onApiTokenRevoked(org, (secret) => tokens.delete(secret));
  const rate =
    typeof options.rateLimit === 'number' ? { perMinute: options.rateLimit } : (options.rateLimit ?? {});
  const state: ServerState = {
    org,
    api,
    tokens,
    faults: new Faults(),
    rateLimits: new RateLimiter({ perMinute: 600, perOperation: {}, timeScale: 1, ...rate }),
    latencyMs: options.latencyMs ?? 0,
    maxConcurrent: options.maxConcurrent ?? 75,
    checkResponses: options.checkResponses ?? true,
    inFlight: 0,
    contractViolations: [],
    requestViolations: [],
    served: [],
  };

  const server = createServer((req, res) => {
    void handleRequest(state, req, res);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  org.baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: org.baseUrl,
    port,
    token,
    org,
    faults: state.faults,
    rateLimits: state.rateLimits,
    addToken(extra, { admin: isAdmin = true } = {}) {
      tokens.set(extra, { token: extra, userId: admin.id, admin: isAdmin });
      registerApiToken(org, extra, { userId: admin.id });
    },
    contractViolations: state.contractViolations,
    requestViolations: state.requestViolations,
    served: state.served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
