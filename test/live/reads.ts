/**
 * An input for every read action, found in the org itself: a list first, then a get (or a list of
 * something's parts) by an id that list returned. Nothing is assumed about the org beyond what it lists,
 * so the same plans serve a real org and the sandbox.
 *
 * live.test.ts takes the read actions from the manifest, not from here: a new read action fails the suite
 * until it has a plan below or a reason in READS_NOT_RUN.
 */
import {
  type ActionKey,
  type ActionResult,
  type ActionTypes,
  type ErrorCode,
  manifest,
} from '../../src/index.js';
import type { SuiteTarget } from './target.js';

/** Reads no api_token connection can run against any org, and why. */
export const READS_NOT_RUN: Partial<Record<ActionKey, string>> = {
  // Okta's userinfo endpoint takes only the signed-in end user's own OIDC access token (scope openid);
  // an API token or a service app's token is refused, so the action is limited to oauth_access_token.
  // (GET /oauth2/v1/userinfo: https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/OrgAS/)
  'get-user-info': "it reads an end user's OIDC claims with that user's own access token",
};

/** The most items any list of the suite asks for: a real org's lists can be long, and its rate limits shared. */
export const LIST_MAX_ITEMS = 20;

/** How many apps the suite looks into for one with an assigned user (get-app-user needs one). */
const APPS_TO_SEARCH_FOR_A_USER = 5;

/** A read whose input could not be found: the list it needs failed for a missing feature, or is empty. */
export class NotRunnable extends Error {
  override name = 'NotRunnable';
}

type Input<Key extends ActionKey> = ActionTypes[Key]['input'];
type Output<Key extends ActionKey> = ActionTypes[Key]['output'];

/**
 * The lists the plans start from, each read once per run (the list's own test and every get that needs an
 * id from it share one request), so a real org sees as few requests as possible.
 */
export class OrgDiscovery {
  private readonly results = new Map<string, Promise<ActionResult<unknown>>>();

  constructor(private readonly target: SuiteTarget) {}

  /** Runs a read once per distinct input. */
  read<Key extends ActionKey>(key: Key, input: Input<Key>): Promise<ActionResult<Output<Key>>> {
    const memoKey = `${key} ${JSON.stringify(input)}`;
    let result = this.results.get(memoKey);
    if (!result) {
      result = this.target.execute(key, input);
      this.results.set(memoKey, result);
    }
    return result as Promise<ActionResult<Output<Key>>>;
  }

  /** A list's output, or NotRunnable when the org lacks the feature (on a target that tolerates it). */
  private async listed<Key extends ActionKey>(key: Key, input: Input<Key>): Promise<Output<Key>> {
    const result = await this.read(key, input);
    if (result.ok) return result.output;
    const said = `${key} answered ${result.error.code}`;
    if (this.target.featureCodes.includes(result.error.code))
      throw new NotRunnable(`${said}: ${result.error.message}`);
    throw new Error(`${said}: ${result.error.message}`);
  }

  private async first<Key extends ActionKey, Item>(
    key: Key,
    items: (output: Output<Key>) => Item[],
    what: string,
    prefer: (item: Item) => boolean = () => true,
  ): Promise<Item> {
    const all = items(await this.listed(key, LIST_INPUT as Input<Key>));
    const chosen = all.find(prefer) ?? all[0];
    if (chosen === undefined) throw new NotRunnable(`the org has no ${what} (${key} returned none)`);
    return chosen;
  }

  /** An active user if the first page has one: the reads of a user's parts are most telling for one. */
  user = () =>
    this.first(
      'list-users',
      (o) => o.users,
      'users',
      (u) => u.status === 'ACTIVE',
    );
  group = () => this.first('list-groups', (o) => o.groups, 'groups');
  app = () =>
    this.first(
      'list-apps',
      (o) => o.apps,
      'apps',
      (a) => a.status === 'ACTIVE',
    );
  device = () => this.first('list-devices', (o) => o.devices, 'devices');
  realm = () => this.first('list-realms', (o) => o.realms, 'realms');
  userType = () => this.first('list-user-types', (o) => o.userTypes, 'user types');
  networkZone = () => this.first('list-network-zones', (o) => o.zones, 'network zones');
  groupRule = () => this.first('list-group-rules', (o) => o.rules, 'group rules');

  /** An app and a user assigned to it, from the first apps' user lists. */
  async appUser(): Promise<{ appId: string; userId: string }> {
    const apps = (await this.listed('list-apps', LIST_INPUT)).apps.slice(0, APPS_TO_SEARCH_FOR_A_USER);
    for (const app of apps) {
      const users = await this.listed('list-app-users', { appId: app.id, ...LIST_INPUT });
      const assigned = users.appUsers[0];
      if (assigned) return { appId: app.id, userId: assigned.id };
    }
    throw new NotRunnable(`none of the first ${apps.length} apps has an assigned user`);
  }
}

const LIST_INPUT = { maxItems: LIST_MAX_ITEMS };

type ReadPlans = { [Key in ActionKey]?: (org: OrgDiscovery) => Promise<Input<Key>> };

/** Each runnable read's input, found through the discovery. */
export const READ_PLANS: ReadPlans = {
  // Users, and a user's parts.
  'list-users': async () => LIST_INPUT,
  'get-user': async (org) => ({ user: (await org.user()).id }),
  'find-user': async (org) => ({ login: (await org.user()).profile.login }),
  'list-user-apps': async (org) => ({ user: (await org.user()).id, ...LIST_INPUT }),
  'list-user-blocks': async (org) => ({ user: (await org.user()).id }),
  'list-user-factors': async (org) => ({ user: (await org.user()).id }),
  'list-user-grants': async (org) => ({ user: (await org.user()).id, ...LIST_INPUT }),
  'list-user-groups': async (org) => ({ user: (await org.user()).id, ...LIST_INPUT }),
  'list-user-roles': async (org) => ({ user: (await org.user()).id }),
  // Groups.
  'list-groups': async () => LIST_INPUT,
  'get-group': async (org) => ({ groupId: (await org.group()).id }),
  'list-group-members': async (org) => ({ groupId: (await org.group()).id, ...LIST_INPUT }),
  'list-group-apps': async (org) => ({ groupId: (await org.group()).id, ...LIST_INPUT }),
  'list-group-rules': async () => LIST_INPUT,
  'get-group-rule': async (org) => ({ ruleId: (await org.groupRule()).id }),
  // Apps.
  'list-apps': async () => LIST_INPUT,
  'get-app': async (org) => ({ appId: (await org.app()).id }),
  'list-app-users': async (org) => ({ appId: (await org.app()).id, ...LIST_INPUT }),
  'list-app-groups': async (org) => ({ appId: (await org.app()).id, ...LIST_INPUT }),
  'get-app-user': async (org) => {
    const { appId, userId } = await org.appUser();
    return { appId, user: userId };
  },
  // Devices (Identity Engine orgs only).
  'list-devices': async () => LIST_INPUT,
  'get-device': async (org) => ({ deviceId: (await org.device()).id }),
  'list-device-users': async (org) => ({ deviceId: (await org.device()).id }),
  // Realms (a subscription), user types.
  'list-realms': async () => LIST_INPUT,
  'get-realm': async (org) => ({ realmId: (await org.realm()).id }),
  'list-user-types': async () => LIST_INPUT,
  'get-user-type': async (org) => ({ typeId: (await org.userType()).id }),
  // Security, roles, hooks, the System Log.
  'list-network-zones': async () => LIST_INPUT,
  'get-network-zone': async (org) => ({ zoneId: (await org.networkZone()).id }),
  'list-api-tokens': async () => LIST_INPUT,
  'list-identity-providers': async () => LIST_INPUT,
  'list-roles': async () => LIST_INPUT,
  'list-event-hooks': async () => LIST_INPUT,
  'list-log-events': async () => LIST_INPUT,
};

/** What became of one read action on the target. */
export type ReadOutcome =
  /** It ran and succeeded (execute() checked its output against the output schema). */
  | { kind: 'ran' }
  /** In READS_NOT_RUN, and it still refuses an API token connection before sending anything. */
  | { kind: 'not-for-api-tokens'; reason: string }
  /** A real org answered one of the codes of a missing feature. */
  | { kind: 'org-lacks-feature'; code: ErrorCode; message: string }
  /** A real org has nothing to read it with (the list it needs is empty or lacks the feature). */
  | { kind: 'nothing-to-read'; reason: string }
  | { kind: 'failed'; reason: string };

/**
 * Runs one read action of the manifest with an input found in the org, and says what became of it. The
 * sandbox has every feature and seeds every kind of object, so there only `ran` and `not-for-api-tokens`
 * can come out; everything else is `failed`.
 */
export async function runRead(
  target: SuiteTarget,
  org: OrgDiscovery,
  key: ActionKey,
  plans: ReadPlans = READ_PLANS,
  notRun: Partial<Record<ActionKey, string>> = READS_NOT_RUN,
): Promise<ReadOutcome> {
  const reason = notRun[key];
  if (reason) return confirmNotForApiTokens(target, key, reason);
  const plan = plans[key] as ((org: OrgDiscovery) => Promise<unknown>) | undefined;
  if (!plan)
    return {
      kind: 'failed',
      reason: `${key} is a read action without a plan: add one to READ_PLANS in test/live/reads.ts (or, if no API token can run it, a reason to READS_NOT_RUN)`,
    };
  let input: unknown;
  try {
    input = await plan(org);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof NotRunnable && target.kind === 'okta')
      return { kind: 'nothing-to-read', reason: message };
    return { kind: 'failed', reason: `no input for ${key}: ${message}` };
  }
  const result = await org.read(key, input as never);
  if (result.ok) return { kind: 'ran' };
  const { code, message } = result.error;
  if (target.featureCodes.includes(code)) return { kind: 'org-lacks-feature', code, message };
  return { kind: 'failed', reason: `${key} with ${JSON.stringify(input)} failed: ${code} ${message}` };
}

/** The reason a read is not run must stay true: the action refuses the connection type, and sends nothing. */
async function confirmNotForApiTokens(
  target: SuiteTarget,
  key: ActionKey,
  reason: string,
): Promise<ReadOutcome> {
  const example = manifest.actions.find((action) => action.key === key)?.examples[0]?.input ?? {};
  const result = await target.execute(key, example as never);
  if (!result.ok && result.error.code === 'UNSUPPORTED' && result.meta.requests === 0)
    return { kind: 'not-for-api-tokens', reason };
  const what = result.ok
    ? 'succeeded'
    : `answered ${result.error.code} after ${result.meta.requests} requests`;
  return {
    kind: 'failed',
    reason: `${key} is in READS_NOT_RUN, but with an API token it ${what}: give it a plan in READ_PLANS instead`,
  };
}
