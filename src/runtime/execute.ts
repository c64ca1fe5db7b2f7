/**
 * execute(): runs an action and answers `{ ok, output | error, meta }`; it never throws. The run itself is
 * src/runtime/action-run.ts; this module is the host-facing signature, typed from the action key.
 */
import type { ActionKey, ActionTypes } from '../generated/action-types.js';
import { runAction } from './action-run.js';
import type { HostOptions } from './host-call.js';
import type { ActionResult, DryRunOutput, ExecuteRequest } from './results.js';

export type { HostOptions } from './host-call.js';
export type {
  ActionResult,
  DryRunOutput,
  ExecuteRequest,
  InputOf,
  OutputOf,
  ResultMeta,
} from './results.js';

/**
 * Runs an action. Never throws: every failure is `{ ok: false, error }`. For a key of the manifest, the
 * input and the output are typed from the key (a misspelled input field does not compile).
 */
export function execute<Key extends ActionKey>(
  actionKey: Key,
  request: ExecuteRequest<ActionTypes[Key]['input']> & { dryRun?: false },
  options?: HostOptions,
): Promise<ActionResult<ActionTypes[Key]['output']>>;
/** A dry run answers the plan for actions that change Okta (read-only actions answer their output). */
export function execute<Key extends ActionKey>(
  actionKey: Key,
  request: ExecuteRequest<ActionTypes[Key]['input']>,
  options?: HostOptions,
): Promise<ActionResult<ActionTypes[Key]['output'] | DryRunOutput>>;
/**
 * A key known only at run time (a string from the host's own storage): the input is checked when the
 * action runs. A key of the manifest written in the code never lands here, so its input stays typed.
 */
export function execute<Key extends string>(
  actionKey: Key & NotAnActionKey<Key>,
  request: ExecuteRequest & { dryRun?: false },
  options?: HostOptions,
): Promise<ActionResult<unknown>>;
export function execute<Key extends string>(
  actionKey: Key & NotAnActionKey<Key>,
  request: ExecuteRequest,
  options?: HostOptions,
): Promise<ActionResult<unknown>>;
export async function execute(
  actionKey: string,
  request: ExecuteRequest,
  options?: HostOptions,
): Promise<ActionResult> {
  return runAction(actionKey, request, options, {});
}

/** `never` for a key of the manifest (and for a union of them), so the untyped signature refuses it. */
type NotAnActionKey<Key extends string> = Key extends ActionKey ? never : unknown;
