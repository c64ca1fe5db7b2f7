/**
 * testConnection(): what a host calls when someone saves a connection. It checks the connection without
 * any network first, then proves the credentials with one cheap authenticated read (GET /api/v1/users/me,
 * or for a service app its token and one read its scopes allow), and says who the connection acts as or
 * exactly what is wrong. Then, in `details`, what the connection can do: its admin roles, the scopes its
 * token holds, the org's optional features, and for every action whether it is expected to work and why
 * not. Those extra reads run at once, and one that fails only leaves its fact unknown. It never throws.
 */
import type { Client } from '@okta/okta-sdk-nodejs';
import { type ResolvedConnection, resolveConnection } from '../connection/connection.js';
import {
  ActionError,
  type ActionErrorEnvelope,
  type ErrorCode,
  type InputProblem,
  type OktaErrorInfo,
} from '../errors/action-error.js';
import { toErrorEnvelope } from '../errors/map-error.js';
import { redactSecrets } from '../errors/redact.js';
import type { RateLimitReading } from '../http/rate-limit.js';
import { grants } from '../manifest/scopes.js';
import { adviseForCredentials } from '../oauth/advice.js';
import type { Authorizer, ConnectionUpdate } from '../oauth/authorizer.js';
import { newCallScope, runInScope } from '../transport/call-scope.js';
import { authorizerOf, getOktaClient } from '../transport/client-factory.js';
import { oktaPath } from '../transport/paths.js';
import { requestJson } from '../transport/raw-json.js';
import { type ActionCapability, assessActions, summarize } from './capabilities.js';
import { type HostOptions, readHostOptions, readOptionsSignal } from './host-call.js';
import { rawSecrets } from './secrets.js';

export interface TestConnectionOptions extends HostOptions {
  signal?: AbortSignal;
}

export type ConnectionSubject =
  | { kind: 'user'; id: string; login: string }
  | { kind: 'app'; clientId: string };

export interface TestConnectionResult {
  ok: boolean;
  /** One readable sentence for the person saving the connection. */
  message: string;
  /**
   * oauth_access_token: the tokens after a refresh during the test, as in execute()'s meta. The host must
   * store them in place of the connection's: Okta rotates refresh tokens, so the old one may be spent.
   */
  connectionUpdate?: ConnectionUpdate;
  details: {
    /** The normalized org URL, once the address was understood. */
    orgUrl?: string;
    connectionType?: string;
    /** Who the connection acts as: a user (API token, a person's sign-in) or a service app. */
    subject?: ConnectionSubject;
    /** The admin role types of the subject (SUPER_ADMIN, ORG_ADMIN, ...), when readable. */
    adminRoles?: string[];
    /** OAuth: the scopes the token holds. */
    scopes?: string[];
    /** OAuth: the token is DPoP-bound (the app requires proof of possession; handled). */
    dpop?: boolean;
    /** Optional Okta features: false when the org answered that it lacks them. */
    features?: { devices?: boolean; realms?: boolean };
    /** Every action: whether it is expected to work with this connection, and why not. */
    actions?: ActionCapability[];
    /** On failure: the same codes as execute()'s errors. */
    code?: ErrorCode;
    retryable?: boolean;
    retryAfterMs?: number;
    status?: number;
    okta?: OktaErrorInfo;
    problems?: InputProblem[];
    rateLimit?: RateLimitReading;
  };
}

/** Test-connection waits less than an action: a person is looking at the form. */
const TEST_REQUEST_TIMEOUT_MS = 15_000;

export async function testConnection(
  connection: unknown,
  options?: TestConnectionOptions,
): Promise<TestConnectionResult> {
  // Replaced by the test's own once the host options are known to be valid.
  let scope = newCallScope(undefined);
  let resolved: ResolvedConnection | undefined;
  let authorizer: Authorizer | undefined;
  let generationAtStart = 0;
  // Added after redaction, which would otherwise blank the very tokens the host has to store.
  const withUpdate = (result: TestConnectionResult): TestConnectionResult => {
    const refreshed = authorizer && authorizer.updates.generation !== generationAtStart;
    return refreshed && authorizer?.updates.latest
      ? { ...result, connectionUpdate: authorizer.updates.latest }
      : result;
  };
  try {
    const { signal, host } = await readTestOptions(options);
    scope = newCallScope(signal, {
      ...host,
      requestTimeoutMs: host.requestTimeoutMs ?? TEST_REQUEST_TIMEOUT_MS,
      // A person is waiting: one retry of a read, not three.
      maxRetries: host.maxRetries ?? 1,
    });
    resolved = await resolveConnection(connection, host);
    const client = await getOktaClient(resolved);
    authorizer = authorizerOf(client);
    generationAtStart = authorizer.updates.generation;
    const probe = new Probe(client, resolved, authorizer);
    const result = await runInScope(scope, () => probe.run());
    return withUpdate(
      redactSecrets(
        {
          ...result,
          details: { ...result.details, ...(scope.rateLimit ? { rateLimit: scope.rateLimit } : {}) },
        },
        [...resolved.secrets(), ...authorizer.secrets()],
      ),
    );
  } catch (error) {
    const envelope = adviseForCredentials(
      toErrorEnvelope(error, scope),
      resolved?.type,
      authorizer,
      undefined,
    );
    const result = failure(withOrgHint(envelope, resolved), resolved, scope.rateLimit);
    return withUpdate(
      redactSecrets(result, [
        ...(resolved?.secrets() ?? rawSecrets(connection)),
        ...(authorizer?.secrets() ?? []),
      ]),
    );
  }
}

/** The test's options: its cancel signal, and the host options, checked as execute() checks them. */
async function readTestOptions(
  options: unknown,
): Promise<{ signal: AbortSignal | undefined; host: HostOptions }> {
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    return { signal: undefined, host: await readHostOptions(options) };
  const { signal, ...host } = options as TestConnectionOptions;
  return { signal: readOptionsSignal(signal), host: await readHostOptions(host) };
}

/** The reads of one test. */
class Probe {
  constructor(
    private readonly client: Client,
    private readonly connection: ResolvedConnection,
    private readonly authorizer: Authorizer,
  ) {}

  async run(): Promise<TestConnectionResult> {
    const { orgUrl, type } = this.connection;
    const subject = await this.whoAmI();
    const granted = type === 'api_token' ? undefined : this.authorizer.grantedScopes();
    const [adminRoles, devices, realms] = await Promise.all([
      this.adminRoles(subject, granted),
      this.feature('/api/v1/devices', 'okta.devices.read', granted),
      this.feature('/api/v1/realms', 'okta.realms.read', granted),
    ]);
    const features = {
      ...(devices !== undefined ? { devices } : {}),
      ...(realms !== undefined ? { realms } : {}),
    };
    const actions = assessActions({ connectionType: type, grantedScopes: granted, adminRoles, features });
    const who = subject.kind === 'user' ? subject.login : `the app ${subject.clientId}`;
    const roles = adminRoles?.length ? ` (${adminRoles.join(', ')})` : adminRoles ? ' (no admin role)' : '';
    return {
      ok: true,
      message: `Connected to ${orgUrl} as ${who}${roles}; ${summarize(actions)}.`,
      details: {
        orgUrl,
        connectionType: type,
        subject,
        ...(adminRoles ? { adminRoles } : {}),
        ...(granted ? { scopes: granted } : {}),
        ...(type === 'api_token' ? {} : { dpop: this.authorizer.tokenType() === 'DPoP' }),
        features,
        actions,
      },
    };
  }

  /** The cheap check that proves the credentials, and who they act as. */
  private async whoAmI(): Promise<ConnectionSubject> {
    const credentials = this.connection.credentials();
    if (credentials.kind === 'client_secret' || credentials.kind === 'private_key') {
      // The token proves the app's credentials; one read its scopes allow proves the token works.
      const granted = await this.tokenScopes();
      const read = CHEAP_READS.find(([scopeNeeded]) => grants(granted, scopeNeeded));
      if (read) await this.get(read[1], { limit: 1 }).catch(explainRefusedApp);
      return { kind: 'app', clientId: credentials.clientId };
    }
    const me = await this.get<{ id?: unknown; profile?: { login?: unknown } }>('/api/v1/users/me');
    if (typeof me?.id !== 'string' || typeof me.profile?.login !== 'string') {
      throw new ActionError(
        'UPSTREAM',
        `${this.connection.orgUrl} answered, but not like an Okta org (its /api/v1/users/me returned no user). Check the API address.`,
        { retryable: false },
      );
    }
    return { kind: 'user', id: me.id, login: me.profile.login };
  }

  private async tokenScopes(): Promise<string[]> {
    await this.authorizer.headersFor('GET', `${this.connection.orgUrl}/api/v1/users`);
    return this.authorizer.grantedScopes() ?? [];
  }

  /** The subject's admin role types; undefined when the token may not read them or Okta would not say. */
  private async adminRoles(
    subject: ConnectionSubject,
    granted: string[] | undefined,
  ): Promise<string[] | undefined> {
    if (granted && !grants(granted, 'okta.roles.read')) return undefined;
    const path =
      subject.kind === 'user'
        ? oktaPath('/api/v1/users/{id}/roles', { id: subject.id })
        : oktaPath('/oauth2/v1/clients/{clientId}/roles', { clientId: subject.clientId });
    try {
      const roles = await this.get<Array<{ type?: unknown }>>(path);
      return Array.isArray(roles) ? [...new Set(roles.map((role) => String(role.type)))] : undefined;
    } catch {
      return undefined;
    }
  }

  /** Whether the org has an optional API: false when Okta says it lacks it, undefined when it cannot be told. */
  private async feature(
    path: string,
    scope: string,
    granted: string[] | undefined,
  ): Promise<boolean | undefined> {
    if (granted && !grants(granted, scope)) return undefined;
    try {
      await this.get(path, { limit: 1 });
      return true;
    } catch (error) {
      const { code } = toErrorEnvelope(error);
      // 401 and 404 on an endpoint the org lacks, or E0000015; a 403 may be the role's reach, not the org's.
      return ['UNSUPPORTED', 'NOT_FOUND', 'UNAUTHORIZED'].includes(code) ? false : undefined;
    }
  }

  private async get<T>(path: string, query?: Record<string, number>): Promise<T | undefined> {
    return (await requestJson<T>(this.client, this.connection.orgUrl, 'GET', path, { query })).body;
  }
}

/** A service app's token that Okta issued but the API refuses: almost always an app without an admin role. */
function explainRefusedApp(error: unknown): never {
  const envelope = toErrorEnvelope(error);
  if (envelope.code !== 'FORBIDDEN') throw error;
  throw new ActionError(
    'FORBIDDEN',
    `Okta issued the app a token but refused it on the API (${[envelope.okta?.errorCode, envelope.okta?.errorSummary].filter(Boolean).join(' ')}): the app needs an admin role. Assign one in the Admin Console under Applications > the app > Admin roles.`,
    {
      retryable: false,
      ...(envelope.okta ? { okta: envelope.okta } : {}),
      ...(envelope.status ? { status: envelope.status } : {}),
    },
  );
}

/** For a service app: one read per scope family, the first its token allows proves the token on the API. */
const CHEAP_READS: Array<[string, string]> = [
  ['okta.users.read', '/api/v1/users'],
  ['okta.groups.read', '/api/v1/groups'],
  ['okta.apps.read', '/api/v1/apps'],
  ['okta.devices.read', '/api/v1/devices'],
  ['okta.logs.read', '/api/v1/logs'],
];

/** An org's tokens work only there: a preview org (oktapreview.com) and production are separate orgs. */
function withOrgHint(
  envelope: ActionErrorEnvelope,
  connection: ResolvedConnection | undefined,
): ActionErrorEnvelope {
  if (envelope.code !== 'UNAUTHORIZED' || connection?.type !== 'api_token') return envelope;
  const host = new URL(connection.orgUrl).hostname;
  const other = host.endsWith('.oktapreview.com')
    ? host.replace(/\.oktapreview\.com$/, '.okta.com')
    : host.endsWith('.okta.com')
      ? host.replace(/\.okta\.com$/, '.oktapreview.com')
      : undefined;
  if (!other) return envelope;
  return {
    ...envelope,
    message: `${envelope.message} A token created in ${other} does not work in ${host}: each org, preview or production, has its own tokens.`,
  };
}

function failure(
  envelope: ActionErrorEnvelope,
  connection: ResolvedConnection | undefined,
  rateLimit: RateLimitReading | undefined,
): TestConnectionResult {
  return {
    ok: false,
    message: envelope.message,
    details: {
      ...(connection ? { orgUrl: connection.orgUrl, connectionType: connection.type } : {}),
      code: envelope.code,
      retryable: envelope.retryable,
      ...(envelope.retryAfterMs !== undefined ? { retryAfterMs: envelope.retryAfterMs } : {}),
      ...(envelope.status !== undefined ? { status: envelope.status } : {}),
      ...(envelope.okta ? { okta: envelope.okta } : {}),
      ...(envelope.details ? { problems: envelope.details } : {}),
      ...(rateLimit ? { rateLimit } : {}),
    },
  };
}
