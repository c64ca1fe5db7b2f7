/**
 * inputSchema(): an action's input schema with the org's own profile attributes in it, typed and titled
 * from Okta's profile schemas, for a host's form. It never throws: `{ ok, output | error, meta }`, the
 * envelope and meta of execute().
 *
 * The read is one GET of a Schema API endpoint, made as a run makes its reads: the host's call and options
 * checked as execute() checks them, the connection resolved, its shared client (guarded executor, governor,
 * rate limits, retries), the call scope (cancel signal, timeouts), Okta's errors mapped and advised, secrets
 * redacted. Not through an execute() of call-okta-api: that would report another action, check call-okta-
 * api's input and scopes instead of the Schema API's, and put Okta's whole schema through an output schema
 * for a few attributes. A person waits at the form, so the read waits less than a run (as testConnection).
 */
import { type ResolvedConnection, resolveConnection } from '../connection/connection.js';
import { ActionError, type ActionErrorEnvelope } from '../errors/action-error.js';
import { toErrorEnvelope } from '../errors/map-error.js';
import { redactSecrets } from '../errors/redact.js';
import { type ActionContract, findAction } from '../manifest/manifest.js';
import { missingScopes } from '../manifest/scopes.js';
import { adviseForCredentials } from '../oauth/advice.js';
import type { Authorizer } from '../oauth/authorizer.js';
import { newCallScope, runInScope } from '../transport/call-scope.js';
import { authorizerOf, getOktaClient } from '../transport/client-factory.js';
import { oktaPath } from '../transport/paths.js';
import { requestJson } from '../transport/raw-json.js';
import { runMeta, unknownAction } from './action-run.js';
import { type HostOptions, type HostRequest, readHostOptions, readHostRequest } from './host-call.js';
import { type OktaAttribute, ORG_FIELDS, type OrgFields, withOrgAttributes } from './org-fields.js';
import type { ResultMeta } from './results.js';
import { cacheAttributes, cachedAttributes } from './schema-cache.js';
import { rawSecrets } from './secrets.js';

export interface InputSchemaRequest {
  /** A connection object, as execute() takes it. */
  connection: unknown;
  /** Part of the action's input, as far as the form has it: the app actions need `appId`. */
  input?: unknown;
  /** Cancels the read. */
  signal?: AbortSignal;
}

export interface InputSchemaOutput {
  /** The action's input schema (self-contained JSON Schema), with the org's attributes when it has some. */
  schema: Record<string, unknown>;
  /** The org's attributes added to it, by their variable name. */
  custom: string[];
  /** `org`: read from the org's profile schema (now or within the last minute); `static`: the manifest's. */
  source: 'org' | 'static';
  /** Why the schema is the manifest's, or why the org added nothing. */
  reason?: string;
}

export type InputSchemaResult =
  | { ok: true; output: InputSchemaOutput; meta: ResultMeta }
  | { ok: false; error: ActionErrorEnvelope; meta: ResultMeta };

/** The Schema API's read scope (a `.manage` of it does too): the scope the reads need on OAuth connections. */
export const SCHEMA_READ_SCOPE = 'okta.schemas.read';

/** A person waits at a form: one answer in 15 s, one retry, unless the host options say otherwise. */
const FORM_REQUEST_TIMEOUT_MS = 15_000;

/**
 * The action's input schema with the org's custom profile attributes, or its manifest schema and why.
 * Never throws: every failure is `{ ok: false, error }`, as with execute().
 */
export async function inputSchema(
  actionKey: string,
  request: InputSchemaRequest,
  options?: HostOptions,
): Promise<InputSchemaResult> {
  const read = new SchemaRead(actionKey);
  try {
    return { ok: true, output: await read.perform(request, options), meta: read.meta() };
  } catch (error) {
    return { ok: false, error: read.envelopeOf(error), meta: read.meta() };
  }
}

class SchemaRead {
  private readonly startedAt = performance.now();
  private scope = newCallScope(undefined);
  private call: HostRequest | undefined;
  private connection: ResolvedConnection | undefined;
  private authorizer: Authorizer | undefined;
  private generationAtStart = 0;

  constructor(private readonly actionKey: unknown) {}

  async perform(request: unknown, options: unknown): Promise<InputSchemaOutput> {
    const contract = typeof this.actionKey === 'string' ? findAction(this.actionKey) : undefined;
    if (!contract) throw unknownAction(this.actionKey);
    const call = readHostRequest(request, ['connection', 'input', 'signal']);
    this.call = call;
    const host = await readHostOptions(options);
    this.scope = newCallScope(call.signal, {
      ...host,
      requestTimeoutMs: host.requestTimeoutMs ?? FORM_REQUEST_TIMEOUT_MS,
      maxRetries: host.maxRetries ?? 1,
    });
    if (this.scope.signal?.aborted)
      throw new ActionError('CANCELLED', 'The read was cancelled before it started.');
    this.connection = await resolveConnection(call.connection, host);
    const fields = Object.hasOwn(ORG_FIELDS, contract.key) ? ORG_FIELDS[contract.key] : undefined;
    if (!fields) return manifestSchema(contract, `${contract.key} takes no profile attributes of the org.`);
    const where = schemaPath(fields, call.input);
    if ('reason' in where) return manifestSchema(contract, where.reason);
    const attributes = await this.attributesAt(where.path);
    const { schema, custom } = withOrgAttributes(
      contract.input as Record<string, unknown>,
      fields,
      attributes,
    );
    return {
      schema,
      custom,
      source: 'org',
      ...(custom.length === 0
        ? { reason: `The org's ${where.what} has no custom attribute to set here.` }
        : {}),
    };
  }

  /** The custom attributes of the schema at `path`: kept from a read of the last minute, or read now. */
  private async attributesAt(path: string): Promise<Readonly<Record<string, OktaAttribute>>> {
    const connection = this.connection!;
    const kept = cachedAttributes(connection.fingerprint, path);
    if (kept) return kept;
    const client = await getOktaClient(connection);
    this.authorizer = authorizerOf(client);
    this.generationAtStart = this.authorizer.updates.generation;
    refuseWithoutSchemaScope(connection, this.authorizer);
    const answer = await runInScope(this.scope, () =>
      requestJson<unknown>(client, connection.orgUrl, 'GET', path),
    );
    const attributes = customAttributesOf(answer.body, connection.orgUrl);
    cacheAttributes(connection.fingerprint, path, attributes);
    return attributes;
  }

  envelopeOf(error: unknown): ActionErrorEnvelope {
    const envelope = adviseForCredentials(
      toErrorEnvelope(error, this.scope),
      this.connection?.type,
      this.authorizer,
      [SCHEMA_READ_SCOPE],
    );
    const secrets = [
      ...(this.connection?.secrets() ?? rawSecrets(this.call?.connection)),
      ...(this.authorizer?.secrets() ?? []),
    ];
    return redactSecrets(envelope, secrets);
  }

  meta(): ResultMeta {
    const { actionKey, startedAt, scope, authorizer, generationAtStart } = this;
    return runMeta({ actionKey, startedAt, scope, authorizer, generationAtStart });
  }
}

function manifestSchema(contract: ActionContract, reason: string): InputSchemaOutput {
  return { schema: structuredClone(contract.input), custom: [], source: 'static', reason };
}

type SchemaWhere = { path: string; what: string } | { reason: string };

/** Which of Okta's profile schemas to read, or why none can be (an app action without its app's id). */
function schemaPath(fields: OrgFields, input: unknown): SchemaWhere {
  switch (fields.source) {
    case 'user':
      return { path: '/api/v1/meta/schemas/user/default', what: 'user profile' };
    case 'group':
      return { path: '/api/v1/meta/schemas/group/default', what: 'group profile' };
    case 'app': {
      const appId = appIdOf(input);
      const id = typeof appId === 'string' ? appId.trim() : undefined;
      if (!id) {
        return {
          reason:
            "The app's own profile attributes depend on the app: pass its id as input.appId to get them (inputSchema(key, { connection, input: { appId } })).",
        };
      }
      if (!/^[0-9A-Za-z]{20}$/.test(id))
        return {
          reason: 'input.appId is not an app id yet (20 letters and digits, like 0oa1gjh63g214q0Hq0g4).',
        };
      return {
        path: oktaPath('/api/v1/meta/schemas/apps/{appId}/default', { appId: id }),
        what: "app's user profile",
      };
    }
  }
}

/** The partial input's app id, read once; an input whose fields cannot be read is refused as execute() would. */
function appIdOf(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return undefined;
  try {
    return (input as { appId?: unknown }).appId;
  } catch {
    throw new ActionError(
      'INVALID_INPUT',
      'The input has fields that cannot be read: pass plain JSON data.',
      {
        retryable: false,
      },
    );
  }
}

/** The `#custom` attributes of Okta's answer, or UPSTREAM when the answer is not a profile schema. */
function customAttributesOf(body: unknown, orgUrl: string): Record<string, OktaAttribute> {
  const definitions = isObject(body) ? body.definitions : undefined;
  const custom = isObject(definitions) ? definitions.custom : undefined;
  // An org without custom attributes may leave the subschema out; anything else is not a profile schema.
  const properties =
    isObject(definitions) && custom === undefined
      ? {}
      : isObject(custom)
        ? (custom.properties ?? {})
        : undefined;
  if (!isObject(properties)) {
    throw new ActionError(
      'UPSTREAM',
      `${orgUrl} answered the profile schema read without a profile schema, which is not how Okta answers. Check that the API address is your Okta org.`,
      { retryable: false },
    );
  }
  return Object.fromEntries(
    Object.entries(properties).filter((entry): entry is [string, OktaAttribute] => isObject(entry[1])),
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An OAuth token known to lack the Schema API's scope would only earn a 403: said before sending anything. */
function refuseWithoutSchemaScope(connection: ResolvedConnection, authorizer: Authorizer): void {
  if (connection.type === 'api_token') return;
  const granted = authorizer.grantedScopes();
  if (!granted || missingScopes([SCHEMA_READ_SCOPE], granted).length === 0) return;
  throw new ActionError(
    'FORBIDDEN',
    `Reading the org's profile schemas needs the scope ${SCHEMA_READ_SCOPE}, which this connection's token does not hold (it holds ${granted.join(', ') || 'none'}). Grant it to the app under Okta API Scopes and add it to the connection's scopes; until then the manifest's schema is the form's. Nothing was sent to Okta.`,
    { retryable: false },
  );
}
