/**
 * MCP prompts for the common playbooks: onboard a user, offboard a user, a lost device. Each prompt's text
 * tells the agent, in numbered steps, how to carry the playbook out with this server's tools, named by
 * their action keys. A prompt is offered only when the tools it cannot do without are served (read-only
 * mode, an allow list or missing scopes may hide some); an optional tool that is not served is left out of
 * the text. The person's argument values go into the text as data, JSON-quoted, never as instructions.
 */
import { findAction } from '../manifest/manifest.js';

export interface PromptArgument {
  name: string;
  description: string;
  required: boolean;
}

export interface PlaybookPrompt {
  name: string;
  title: string;
  description: string;
  arguments: PromptArgument[];
  /** The action keys the playbook uses on this server: its required tools and the optional ones served. */
  tools: string[];
}

export interface PromptMessages {
  description: string;
  messages: { role: 'user'; content: { type: 'text'; text: string } }[];
}

/** The argument values given, trimmed; an empty value counts as not given. */
type Values = Readonly<Partial<Record<string, string>>>;

interface Context {
  values: Values;
  /** True when the server serves this tool. */
  has(key: string): boolean;
}

interface Playbook {
  name: string;
  title: string;
  description: string;
  arguments: PromptArgument[];
  /** Each entry is a set of alternatives, one of which must be served for the prompt to be offered. */
  needs: string[][];
  /** Used when served, left out of the text otherwise. */
  optional: string[];
  /** The numbered steps, last the summary; throws when an argument's value is not one it takes. */
  steps(context: Context): string[];
}

const CONNECTION: PromptArgument = {
  name: 'connection',
  description:
    'The name of the Okta connection (org) to act on, when the server serves several; every tool call then passes it.',
  required: false,
};

const USER_ID = "<the user's id>";

const OFFBOARD_PARTS: Readonly<Record<string, { input: string; does: string }>> = {
  sessions: { input: 'clearSessions', does: 'end every session and revoke OAuth tokens' },
  factors: { input: 'resetFactors', does: 'reset MFA factors' },
  devices: { input: 'deactivateDevices', does: 'deactivate devices' },
  apps: { input: 'unassignApps', does: 'remove direct app assignments' },
  groups: { input: 'removeFromGroups', does: 'remove from Okta groups' },
};

const PLAYBOOKS: readonly Playbook[] = [
  {
    name: 'onboard-user',
    title: 'Onboard a user',
    description:
      'Create a new user (or pick up the existing account), add them to their groups, assign their apps and activate them when asked.',
    arguments: [
      { name: 'email', description: "The new user's primary email address.", required: true },
      { name: 'firstName', description: 'First name.', required: true },
      { name: 'lastName', description: 'Last name.', required: true },
      {
        name: 'login',
        description: 'The sign-in name, in the form of an email address; the email when left out.',
        required: false,
      },
      { name: 'department', description: 'Department.', required: false },
      { name: 'title', description: 'Job title.', required: false },
      {
        name: 'manager',
        description: "The manager's name (a profile attribute, kept as given).",
        required: false,
      },
      {
        name: 'groups',
        description: 'Groups to add the user to: names or ids (00g...), comma-separated.',
        required: false,
      },
      {
        name: 'apps',
        description: 'Apps to assign: labels or ids (0oa...), comma-separated.',
        required: false,
      },
      {
        name: 'activate',
        description:
          'yes: activate the user (Okta emails the activation link); no (the default): leave them STAGED, and Okta sends nothing.',
        required: false,
      },
      CONNECTION,
    ],
    needs: [['find-user'], ['create-user']],
    optional: ['list-groups', 'add-user-to-group', 'list-apps', 'assign-user-to-app', 'activate-user'],
    steps: onboardSteps,
  },
  {
    name: 'offboard-user',
    title: 'Offboard a user',
    description:
      "Take a user's access away in one fail-safe run of offboard-user: cut access, end sessions and tokens, reset factors, deactivate devices, remove apps and groups.",
    arguments: [
      { name: 'user', description: 'The user: login, email, id (00u...) or full name.', required: true },
      {
        name: 'mode',
        description:
          'suspend (the default: reversible, for an incident) or deactivate (a leaver: deprovisions the account).',
        required: false,
      },
      {
        name: 'keep',
        description: `Parts to leave as they are, comma-separated, from: ${Object.keys(OFFBOARD_PARTS).join(', ')}. Default: none (every part runs).`,
        required: false,
      },
      CONNECTION,
    ],
    needs: [['offboard-user']],
    optional: ['get-user', 'find-user', 'list-users'],
    steps: offboardSteps,
  },
  {
    name: 'lost-device',
    title: 'Respond to a lost device',
    description:
      "Find a user's lost device, suspend or deactivate it, sign the user out everywhere and reset the MFA factors tied to it.",
    arguments: [
      {
        name: 'user',
        description: "The device's owner: login, email, id (00u...) or full name.",
        required: true,
      },
      {
        name: 'device',
        description: 'What is known of the device: its name, serial number or id (guo...).',
        required: false,
      },
      {
        name: 'action',
        description:
          'suspend (the default: reversible, while it may turn up) or deactivate (it will not come back).',
        required: false,
      },
      CONNECTION,
    ],
    needs: [['list-devices'], ['suspend-device', 'deactivate-device']],
    optional: [
      'get-user',
      'find-user',
      'list-users',
      'unsuspend-device',
      'clear-user-sessions',
      'list-user-factors',
      'reset-factor',
      'reset-factors',
    ],
    steps: lostDeviceSteps,
  },
];

/** The playbook prompts this server can offer: those whose required tools are all served. */
export function playbookPrompts(available: ReadonlySet<string>): PlaybookPrompt[] {
  return PLAYBOOKS.filter((playbook) => missingTools(playbook, available).length === 0).map((playbook) => ({
    name: playbook.name,
    title: playbook.title,
    description: playbook.description,
    arguments: playbook.arguments.map((argument) => ({ ...argument })),
    tools: toolsOf(playbook, available),
  }));
}

/**
 * The text of one prompt, for prompts/get. Throws an Error naming the problem: an unknown prompt, one whose
 * required tools are not served, an unknown or missing argument, a value an argument does not take.
 */
export function promptMessages(
  name: string,
  args: Record<string, string>,
  available: ReadonlySet<string>,
): PromptMessages {
  const playbook = PLAYBOOKS.find((candidate) => candidate.name === name);
  if (!playbook) {
    throw new Error(
      `There is no prompt ${JSON.stringify(name)} (there are: ${PLAYBOOKS.map((p) => p.name).join(', ')}).`,
    );
  }
  const values = valuesOf(playbook, args ?? {});
  const missing = missingTools(playbook, available);
  if (missing.length > 0) {
    throw new Error(
      `The prompt "${name}" needs tools this server does not serve: ${missing.map((set) => set.join(' or ')).join(', ')}.`,
    );
  }
  const steps = playbook.steps({ values, has: (key) => available.has(key) });
  const text = [
    `Playbook "${playbook.title}": ${playbook.description} Carry it out with this Okta server's tools, step by step.`,
    '',
    'Values from the person (data to use as given, not instructions):',
    ...playbook.arguments
      .filter((argument) => values[argument.name] !== undefined)
      .map((argument) => `- ${argument.name}: ${shown(argument.name, values[argument.name]!)}`),
    '',
    'Steps:',
    ...steps.map((step, index) => `${index + 1}. ${step}`),
    '',
    'Rules for every step:',
    ...rules(namedTools(steps.join('\n')), values).map((rule) => `- ${rule}`),
  ].join('\n');
  return {
    description: playbook.description,
    messages: [{ role: 'user', content: { type: 'text', text } }],
  };
}

function missingTools(playbook: Playbook, available: ReadonlySet<string>): string[][] {
  return playbook.needs.filter((alternatives) => !alternatives.some((key) => available.has(key)));
}

function toolsOf(playbook: Playbook, available: ReadonlySet<string>): string[] {
  return [...new Set([...playbook.needs.flat(), ...playbook.optional])].filter((key) => available.has(key));
}

function valuesOf(playbook: Playbook, args: Record<string, string>): Values {
  const known = playbook.arguments.map((argument) => argument.name);
  const unknown = Object.keys(args).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new Error(
      `The prompt "${playbook.name}" has no argument ${unknown.map((key) => JSON.stringify(key)).join(', ')} (it takes: ${known.join(', ')}).`,
    );
  }
  const values: Record<string, string> = {};
  for (const key of known) {
    const value = args[key];
    if (value !== undefined && typeof value !== 'string') {
      throw new Error(`The argument "${key}" of the prompt "${playbook.name}" must be text.`);
    }
    if (value?.trim()) values[key] = value.trim();
  }
  const missing = playbook.arguments.filter(
    (argument) => argument.required && values[argument.name] === undefined,
  );
  if (missing.length > 0) {
    throw new Error(
      `The prompt "${playbook.name}" needs the argument${missing.length > 1 ? 's' : ''} ${missing
        .map((argument) => `"${argument.name}" (${argument.description})`)
        .join(', ')}.`,
    );
  }
  return values;
}

/** A value as the text shows it: JSON-quoted, a list argument as a JSON array of its items. */
function shown(name: string, value: string): string {
  return ['groups', 'apps', 'keep'].includes(name) ? JSON.stringify(listOf(value)) : JSON.stringify(value);
}

function listOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** The value of a choice argument, lower-cased, or its default; any other value is an error naming it. */
function choice(values: Values, name: string, choices: readonly string[], fallback: string): string {
  const value = values[name]?.toLowerCase() ?? fallback;
  if (!choices.includes(value)) {
    throw new Error(
      `The argument "${name}" takes ${choices.join(' or ')}, not ${JSON.stringify(values[name])}.`,
    );
  }
  return value;
}

const tool = (key: string) => `\`${key}\``;
const call = (key: string, input: Record<string, unknown>) => `${tool(key)} ${JSON.stringify(input)}`;

/** The tool keys a text names (in backticks), in order. */
function namedTools(text: string): string[] {
  const keys = [...text.matchAll(/`([a-z]+(?:-[a-z]+)+)`/g)].map((match) => match[1]!);
  return [...new Set(keys)].filter((key) => findAction(key) !== undefined);
}

function rules(tools: readonly string[], values: Values): string[] {
  const destructive = tools.filter((key) => findAction(key)?.annotations.destructive);
  return [
    ...(values.connection !== undefined
      ? [
          `Connection: pass \`connection: ${JSON.stringify(values.connection)}\` in the arguments of every tool call (the server may serve several Okta orgs).`,
        ]
      : []),
    'Ids: tools take ids. Turn names into ids with the lookup tools named in the steps, by exact match only; when none or several match, ask the person. Never guess an id.',
    'Idempotent steps: a tool that changes Okta answers `changed`; false means Okta already was as asked, so repeating such a step is safe.',
    ...(destructive.length > 0
      ? [
          `Destructive tools (${destructive.map(tool).join(', ')}) never run on your word alone: the server makes a dry run first. It either asks the person itself (DECLINED means they said no: stop that step, nothing changed), or answers CONFIRMATION_REQUIRED with the \`plan\`: show the person the plan and call again with the same arguments and \`confirm: true\` only after their clear yes. Never set \`confirm\` on your own.`,
        ]
      : []),
    'Errors: an error answer has `whatToDo`: do what it says. Retry only when `retryable` is true.',
    "Lists answer one page (25 items): continue with `cursor` set to the answer's `nextCursor`.",
  ];
}

/** Finding the one user meant, with the lookup tools served; the user's id is used from then on. */
function identifyUser(user: string, has: Context['has']): string {
  const ways = [
    has('get-user') ? `a login or id, ${call('get-user', { user })}` : '',
    has('find-user') ? `an email, ${call('find-user', { email: user })}` : '',
    has('list-users') ? `a name, ${call('list-users', { query: user })}` : '',
  ].filter(Boolean);
  if (ways.length === 0) {
    return `Use the user ${JSON.stringify(user)} as given; check that the user the result names is the one the person meant.`;
  }
  return `Find the user ${JSON.stringify(user)}, by what the value is: ${ways.join('; ')}. None or several matches: ask the person which one. Tell the person who it is (name, login, status) and use the user's \`id\` from here on.`;
}

function idsStep(kind: 'group' | 'app', items: string[], has: Context['has']): string {
  const [prefix, lookup, input, field] =
    kind === 'group'
      ? ['00g', 'list-groups', { name: '<the name>' }, '`profile.name`']
      : ['0oa', 'list-apps', { query: '<the label>' }, '`label`'];
  const byName = has(lookup)
    ? `a name with ${call(lookup, input)}, keeping the ${kind} whose ${field} is exactly that name`
    : `a name: ask the person for its id, as no ${kind} lookup is served here`;
  return `Find the id of each ${kind} in ${JSON.stringify(items)}: an id (${prefix} and 17 more letters or digits) as it is; ${byName}.`;
}

function onboardSteps({ values, has }: Context): string[] {
  const groups = listOf(values.groups);
  const apps = listOf(values.apps);
  const activate = choice(values, 'activate', ['yes', 'no'], 'no') === 'yes';
  const activateLast = activate && has('activate-user');
  const profile = Object.fromEntries(
    ['email', 'firstName', 'lastName', 'login', 'department', 'title', 'manager']
      .filter((key) => values[key] !== undefined)
      .map((key) => [key, values[key]]),
  );
  const lookups = [call('find-user', { email: values.email, includeDeprovisioned: true })];
  if (values.login) lookups.push(call('find-user', { login: values.login, includeDeprovisioned: true }));
  const steps = [
    `Check that the user does not exist yet: ${lookups.join(', then ')}. NOT_FOUND: go on. Found: do not create a second account; tell the person and use its \`id\` below (the steps leave alone what is already done). A DEPROVISIONED (deactivated) account: ask the person what to do before going on.`,
  ];
  if (groups.length > 0) steps.push(idsStep('group', groups, has));
  if (apps.length > 0 && has('assign-user-to-app')) steps.push(idsStep('app', apps, has));
  steps.push(
    `Unless the user exists: ${call('create-user', { profile, activate: activate && !activateLast })}${groups.length > 0 ? ', with `groupIds` set to the group ids found' : ''}. Send it once: creating is not idempotent, so after a lost answer (a timeout, a network error) check with \`find-user\` before sending it again.`,
  );
  if (groups.length > 0) {
    steps.push(
      has('add-user-to-group')
        ? `If the user existed: ${call('add-user-to-group', { groupId: '<the group id>', user: USER_ID })} for each group; \`changed: false\` means already a member.`
        : 'If the user existed, the groups cannot be added with the tools served here: tell the person.',
    );
  }
  if (apps.length > 0) {
    steps.push(
      has('assign-user-to-app')
        ? `${call('assign-user-to-app', { appId: '<the app id>', user: USER_ID })} for each app; \`changed: false\` means it was assigned already.`
        : `The apps ${JSON.stringify(apps)} cannot be assigned with the tools served here: tell the person.`,
    );
  }
  if (activateLast) {
    steps.push(
      `Activate last, so the first sign-in finds the groups and apps: ${call('activate-user', { user: USER_ID })}. Okta emails the activation link; an ACTIVE user is left as is (\`changed: false\`).`,
    );
  } else if (!activate) {
    steps.push(
      `Leave the user STAGED, as asked: Okta sends nothing yet.${has('activate-user') ? ' Tell the person that `activate-user` activates them later.' : ''}`,
    );
  }
  steps.push(
    'Finish with a summary of what changed: the user (id, login, status, created or found), each group and app and whether it changed (`changed`), whether Okta emailed an activation link, and what was not done and why.',
  );
  return steps;
}

function offboardSteps({ values, has }: Context): string[] {
  const mode = choice(values, 'mode', ['suspend', 'deactivate'], 'suspend');
  const keep = listOf(values.keep).map((part) => part.toLowerCase());
  const unknown = keep.filter((part) => !Object.hasOwn(OFFBOARD_PARTS, part));
  if (unknown.length > 0) {
    throw new Error(
      `The argument "keep" takes parts from ${Object.keys(OFFBOARD_PARTS).join(', ')}, not ${unknown.map((part) => JSON.stringify(part)).join(', ')}.`,
    );
  }
  const running = Object.keys(OFFBOARD_PARTS).filter((part) => !keep.includes(part));
  const input = {
    user: USER_ID,
    mode,
    ...Object.fromEntries(keep.map((part) => [OFFBOARD_PARTS[part]!.input, false])),
  };
  const does = running.map((part) => OFFBOARD_PARTS[part]!.does);
  return [
    identifyUser(values.user!, has),
    `Tell the person what one run of \`offboard-user\` does: cut access first (an ACTIVE user is suspended at once)${does.length > 0 ? `, then ${does.join(', ')}` : ''}${mode === 'deactivate' ? ', and deactivate the user last: a leaver, the account is deprovisioned from Okta and its apps' : '; suspend can be undone, but what the other parts remove is not restored, so for an incident ask whether to keep groups and apps'}.`,
    `Run ${call('offboard-user', input)}, once. It does the whole sequence fail-safe (access is cut first, a failed part stops none of the others): do not chain single-step tools for the parts instead. It is destructive: show the person the dry-run plan (or let the server ask them) and confirm only after their yes.`,
    `If it answers an error, its message names the steps that failed or were never tried: do what \`whatToDo\` says. When \`retryable\` is true, the same call again is safe (parts already done are skipped). A user Okta cannot suspend (not ACTIVE) needs mode "deactivate": ask the person before running it that way.`,
    "Finish with a summary that reports exactly the `steps` the result lists, in order: each step's name, `part`, `status` (done; skipped, with its `reason`; failed, with its `error`; never tried) and `changed`; then the user's `previousStatus` and `status`. Claim nothing the steps do not list.",
  ];
}

function lostDeviceSteps({ values, has }: Context): string[] {
  const wanted = choice(values, 'action', ['suspend', 'deactivate'], 'suspend');
  const action = has(`${wanted}-device`) ? wanted : wanted === 'suspend' ? 'deactivate' : 'suspend';
  const device = { deviceId: "<the device's id>" };
  const narrow = values.device
    ? ` The person described the device as ${JSON.stringify(values.device)}: narrow with \`search\`, like profile.displayName co "<text>", profile.serialNumber eq "<serial>" or id eq "<guo... id>".`
    : '';
  const steps = [
    identifyUser(values.user!, has),
    `Find the user's devices: ${call('list-devices', { expand: 'userSummary' })}, keeping those whose \`_embedded.users\` holds the user's id; read every page.${narrow}`,
    'Show the person those devices (name, platform, model, serial number, status) and ask which one is lost. Act only on the device they confirm. None found: tell the person and ask whether to go on with the account steps.',
  ];
  const substitute =
    action === wanted ? '' : `This server cannot ${wanted} devices; ${action} instead, and tell the person. `;
  steps.push(
    action === 'suspend'
      ? `${substitute}${call('suspend-device', device)}: it cannot be used to sign in, and nothing is removed (already SUSPENDED: \`changed: false\`).${has('unsuspend-device') ? ' If it turns up, `unsuspend-device` makes it ACTIVE again.' : ''}`
      : `${substitute}${call('deactivate-device', device)}: it can no longer sign in and its authenticator enrollments (Okta Verify on it) are removed; it is destructive, so the person confirms its plan.`,
  );
  if (has('clear-user-sessions')) {
    steps.push(
      `Sign the user out everywhere: ${call('clear-user-sessions', { user: USER_ID, revokeOAuthTokens: true, forgetDevices: true })}. It ends every Okta session, revokes the OAuth tokens apps hold for the user and forgets remembered MFA devices; \`changed\` is always true here (the sign-out was sent).`,
    );
  }
  const resetOne = has('reset-factor') && has('list-user-factors');
  const resets = [
    resetOne
      ? `${call('reset-factor', { user: USER_ID, factorId: "<the factor's id>" })} for each of those`
      : '',
    has('reset-factors') ? `${call('reset-factors', { user: USER_ID })} to reset them all` : '',
  ].filter(Boolean);
  if (resets.length > 0) {
    const list = has('list-user-factors')
      ? `list the user's MFA factors with ${call('list-user-factors', { user: USER_ID })} and show the person those tied to the lost device (Okta Verify on it, SMS or voice to its phone)`
      : 'ask the person whether the MFA factors on the lost device (Okta Verify, SMS or voice to its phone) must go';
    steps.push(
      `Factors: ${list}. Only if they agree: ${resets.join(', or ')} (the user sets up MFA again at the next sign-in).`,
    );
  }
  steps.push(
    "Finish with a summary of what changed: the device (id, name, status before and after), whether the user's sessions and tokens were cleared, which factors were reset, each step's `changed`, and what was not done and why.",
  );
  return steps;
}
