/**
 * okta-actions: an Okta connector for workflow-automation hosts.
 *
 *   import { manifest, execute, testConnection } from 'okta-actions';
 *
 * Importing this module reads the manifest (bundled data) and nothing else: the Okta SDK and the schema
 * validator load on the first execute() or testConnection().
 */
import { manifest } from './manifest.js';
import { scopesFor } from './oauth/scopes.js';
import { execute } from './runtime/execute.js';
import { testConnection } from './runtime/test-connection.js';

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
export type { ActionContract, ConnectionType, Manifest } from './manifest.js';
export type { ConnectionUpdate } from './oauth/authorizer.js';
export { FLOW_SCOPES, scopesFor } from './oauth/scopes.js';
export type { RateLimitReading } from './runtime/call-scope.js';
export type {
  ActionResult,
  DryRunOutput,
  ExecuteRequest,
  HostOptions,
  OutputOf,
  ResultMeta,
} from './runtime/execute.js';
export type { TestConnectionOptions, TestConnectionResult } from './runtime/test-connection.js';
export { execute, manifest, testConnection };

const plugin = { manifest, execute, testConnection, scopesFor };
export default plugin;
