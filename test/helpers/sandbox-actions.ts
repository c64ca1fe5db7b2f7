/** Running actions through execute() against a test's sandbox, as a host does, with its admin API token. */
import {
  type ActionErrorEnvelope,
  type ActionKey,
  type ActionTypes,
  execute,
  type HostOptions,
} from '../../src/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';

/** The host options a sandbox needs: it listens on loopback, which hosts refuse unless told otherwise. */
export const SANDBOX_HOST: HostOptions = { allowLoopback: true };

/** An API token connection to the sandbox, as its admin. */
export function sandboxConnection(sandbox: Sandbox) {
  return { type: 'api_token', apiAddress: sandbox.url, apiToken: sandbox.token };
}

export interface SandboxActions {
  /** The connection to the sandbox of the test running now. */
  connection(): ReturnType<typeof sandboxConnection>;
  /** The action's output; an error naming the action, the error code and message when it fails. */
  run<Key extends ActionKey>(key: Key, input: ActionTypes[Key]['input']): Promise<ActionTypes[Key]['output']>;
  /**
   * The action's error; an error showing the output when it succeeds. The input is not typed from the key:
   * failure tests send inputs the action's schema refuses.
   */
  failure(key: ActionKey, input: unknown): Promise<ActionErrorEnvelope>;
}

/**
 * Actions against the sandbox a test file holds (`useSandbox()`): each call reads `sandbox` when it runs,
 * so every test reaches its own fresh sandbox.
 */
export function sandboxActions(holder: { readonly sandbox: Sandbox }): SandboxActions {
  const connection = () => sandboxConnection(holder.sandbox);
  return {
    connection,
    async run(key, input) {
      const result = await execute(key, { connection: connection(), input }, SANDBOX_HOST);
      if (!result.ok) throw new Error(`${key}: ${result.error.code} ${result.error.message}`);
      return result.output;
    },
    async failure(key, input) {
      const result = await execute(key, { connection: connection(), input: input as never }, SANDBOX_HOST);
      if (result.ok) throw new Error(`${key} was expected to fail: ${JSON.stringify(result.output)}`);
      return result.error;
    },
  };
}
