/**
 * okta-actions: an Okta connector for workflow-automation hosts.
 *
 *   import { manifest, execute, testConnection } from 'okta-actions';
 *   import { stream } from 'okta-actions';   // a list action's items as an async iterator
 *   import { lookup } from 'okta-actions';   // the options of an id field's picker
 *   import { inputSchema } from 'okta-actions';   // an action's input schema with the org's own fields
 *
 * Importing this module reads the manifest (manifest.json) and nothing else. The runtime (handlers, the
 * transport, the validators; src/runtime/runtime.ts) and Ajv load on the first execute(), stream(),
 * lookup(), inputSchema() or testConnection(), and the Okta SDK only when a handler first calls one of its
 * APIs (reads and lists use raw JSON): a host that only lists actions pays for none of it
 * (bench/cold-start.mjs).
 */
import { manifest } from './manifest/manifest.js';
import { scopesFor } from './manifest/scopes.js';
import type { execute as executeNow } from './runtime/execute.js';
import type { inputSchema as inputSchemaNow } from './runtime/input-schema.js';
import type { lookup as lookupNow } from './runtime/lookup.js';
import type { ListStream, StreamSummary, stream as streamNow } from './runtime/stream.js';
import type { testConnection as testConnectionNow } from './runtime/test-connection.js';

type Runtime = typeof import('./runtime/runtime.js');
let runtime: Promise<Runtime> | undefined;
const loadRuntime = () => {
  runtime ??= import('./runtime/runtime.js');
  return runtime;
};

/** Runs an action. Never throws: every failure is `{ ok: false, error }` (see src/runtime/execute.ts). */
const execute = (async (...args: Parameters<typeof executeNow>) =>
  (await loadRuntime()).execute(...args)) as typeof executeNow;

/** The options of an id field's picker (its x-lookup). Never throws (see src/runtime/lookup.ts). */
const lookup: typeof lookupNow = async (...args) => (await loadRuntime()).lookup(...args);

/** Tests a connection as a host does when someone saves it. Never throws (see src/runtime/test-connection.ts). */
const testConnection: typeof testConnectionNow = async (...args) =>
  (await loadRuntime()).testConnection(...args);

/**
 * An action's input schema with the org's custom profile attributes, typed and titled from Okta's profile
 * schemas, for a host's form. Never throws (see src/runtime/input-schema.ts).
 */
const inputSchema: typeof inputSchemaNow = async (...args) => (await loadRuntime()).inputSchema(...args);

/** A list action's items as an async iterator (see src/runtime/stream.ts). */
const stream = ((...args: Parameters<typeof streamNow>) => {
  let started: ListStream<unknown> | undefined;
  return {
    get summary(): StreamSummary | undefined {
      return started?.summary;
    },
    async *[Symbol.asyncIterator]() {
      started = (await loadRuntime()).stream(...args);
      yield* started;
    },
  };
}) as typeof streamNow;

export { normalizeApiAddress } from './connection/api-address.js';
export type {
  ActionErrorEnvelope,
  ErrorCode,
  InputProblem,
  OktaErrorInfo,
  StepRecord,
} from './errors/action-error.js';
export { ERROR_CODES } from './errors/action-error.js';
export type { ActionKey, ActionTypes } from './generated/action-types.js';
export type { TriggerKey, TriggerTypes } from './generated/trigger-types.js';
export type { RateLimitReading } from './http/rate-limit.js';
export type {
  ActionContract,
  ConnectionType,
  Manifest,
  TriggerContract,
  UiSchema,
} from './manifest/manifest.js';
export { FLOW_SCOPES, scopesFor } from './manifest/scopes.js';
export type { ConnectionUpdate } from './oauth/authorizer.js';
export type {
  ActionResult,
  DryRunOutput,
  ExecuteRequest,
  HostOptions,
  InputOf,
  OutputOf,
  ResultMeta,
} from './runtime/execute.js';
export type {
  InputSchemaOutput,
  InputSchemaRequest,
  InputSchemaResult,
} from './runtime/input-schema.js';
export type {
  LookupOption,
  LookupOutput,
  LookupRequest,
  LookupResult,
} from './runtime/lookup.js';
export type { ListStream, StreamItemOf, StreamSummary } from './runtime/stream.js';
export { StreamError } from './runtime/stream-error.js';
export type { TestConnectionOptions, TestConnectionResult } from './runtime/test-connection.js';
export { execute, inputSchema, lookup, manifest, stream, testConnection };

const plugin = { manifest, execute, lookup, inputSchema, testConnection, scopesFor, stream };
export default plugin;
