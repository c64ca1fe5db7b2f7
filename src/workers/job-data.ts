/**
 * What a job of an action carries, and the check it passes before anything else happens: a job whose data
 * is wrong (an unknown action, no connection reference, a field the processor does not know) fails at
 * once, not retried, and the host's connection store is not even asked. Nothing here sends anything.
 */
import { ActionError, type InputProblem } from '../errors/action-error.js';
import { type ActionContract, findAction, manifest } from '../manifest/manifest.js';
import type { InputOf } from '../runtime/results.js';
import { closestName } from '../schema/suggest.js';

/**
 * A job's data. Typed from the action key for the manifest's keys, like execute()'s input. Only a
 * reference to the connection travels: the connection itself (its token, its secret) never goes to Redis.
 */
export interface ActionJobData<Key extends string = string> {
  /** The action's key, as in the manifest (`create-group`). */
  action: Key;
  /** The host's name for a stored connection; the worker's resolveConnection() turns it into one. */
  connectionRef: string;
  /** The action's input (execute()'s `input`); checked against the action's input schema when it runs. */
  input?: InputOf<Key>;
  /** Read what the action needs and change nothing: the job's output is the plan. */
  dryRun?: boolean;
  /**
   * Written by the processor, not by producers: when the job's first attempt started (epoch ms), so a
   * later attempt's creates find what that one created (see processor.ts).
   */
  firstAttemptAt?: number;
}

const FIELDS = ['action', 'connectionRef', 'input', 'dryRun', 'firstAttemptAt'];

/** A job's data, checked: the action known, the reference given, the fields the processor knows. */
export interface CheckedJob {
  contract: ActionContract;
  connectionRef: string;
  input: Record<string, unknown>;
  dryRun: boolean;
  firstAttemptAt: number | undefined;
}

/** The job's data, or an ActionError (never retryable) that says what is wrong with it. */
export function checkJobData(data: unknown): CheckedJob {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw malformed([{ path: 'data', message: `must be an object like { action, connectionRef, input }` }]);
  }
  const record = data as Record<string, unknown>;
  const problems = unknownFields(record);
  const { action, connectionRef, input, dryRun, firstAttemptAt } = record;
  if (typeof action !== 'string') problems.push({ path: 'data.action', message: "must be an action's key" });
  if (typeof connectionRef !== 'string' || connectionRef.trim() === '') {
    problems.push({
      path: 'data.connectionRef',
      message:
        connectionRef === undefined
          ? "is missing: give the name of a connection the host stores (the worker's resolveConnection turns it into the connection)"
          : 'must be a non-empty string',
    });
  }
  if (input !== undefined && (input === null || typeof input !== 'object' || Array.isArray(input)))
    problems.push({ path: 'data.input', message: "must be an object: the action's input" });
  if (dryRun !== undefined && typeof dryRun !== 'boolean')
    problems.push({ path: 'data.dryRun', message: 'must be true or false' });
  if (firstAttemptAt !== undefined && !Number.isSafeInteger(firstAttemptAt))
    problems.push({ path: 'data.firstAttemptAt', message: 'is written by the processor; leave it out' });
  if (problems.length > 0) throw malformed(problems);
  const contract = findAction(action as string);
  if (!contract) throw unknownAction(action as string);
  const checked: CheckedJob = {
    contract,
    connectionRef: connectionRef as string,
    input: (input ?? {}) as Record<string, unknown>,
    dryRun: dryRun === true,
    firstAttemptAt: firstAttemptAt as number | undefined,
  };
  refuseRevealedSecrets(checked);
  return checked;
}

function unknownFields(record: Record<string, unknown>): InputProblem[] {
  return Object.keys(record)
    .filter((name) => !FIELDS.includes(name))
    .map((name) => {
      if (name === 'connection') {
        return {
          path: 'data.connection',
          message:
            'must not be in a job: job data is stored in Redis, and a connection holds secrets. Give connectionRef, the name of a connection the host stores',
        };
      }
      const near = closestName(name, FIELDS);
      return {
        path: `data.${name}`,
        message: `is not a field of an action's job${near ? ` (did you mean "${near}"?)` : ''}; its fields: action, connectionRef, input, dryRun`,
      };
    });
}

/**
 * An output with a secret Okta made (an activation or reset link, a temporary password) would be the
 * job's return value, stored in Redis: such a run is refused before anything is sent, rather than
 * creating a secret that must then be either stored in clear or lost.
 */
function refuseRevealedSecrets(job: CheckedJob): void {
  if (job.input.revealSecret !== true || job.dryRun) return;
  throw new ActionError(
    'INVALID_INPUT',
    `${job.contract.key} with revealSecret: true cannot run as a job: its output (the job's return value, kept in Redis) would hold the secret Okta creates. Let Okta email it (revealSecret: false), or run it with execute() where the output stays with the host. Nothing was sent to Okta.`,
    {
      retryable: false,
      details: [{ path: 'revealSecret', message: 'cannot be true in a job' }],
    },
  );
}

function malformed(problems: InputProblem[]): ActionError {
  const list = problems.map((p) => `"${p.path}" ${p.message}`).join('; ');
  return new ActionError(
    'INVALID_OPTIONS',
    `The job's data is not an action's job: ${list}. This is a mistake in the producer that added the job, not in the flow; nothing was sent to Okta.`,
    { retryable: false, details: problems },
  );
}

function unknownAction(key: string): ActionError {
  const near = closestName(
    key,
    manifest.actions.map((a) => a.key),
  );
  return new ActionError(
    'UNKNOWN_ACTION',
    `The job names an action "${key}", and there is none.${near ? ` Did you mean "${near}"?` : ''} The manifest lists every action; nothing was sent to Okta.`,
    { retryable: false },
  );
}
