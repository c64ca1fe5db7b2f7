/**
 * The command line's options, declared once with their kind and range, and the one parser that checks
 * them. Every mistake is a UsageError that names the option: an unknown option, one the command does not
 * take, a value missing or out of range, a value option given twice, two options that say the same thing.
 * Nothing is silently ignored or silently "last one wins": a script that repeats --input has a bug, and
 * running it with one of the two inputs would hide it.
 */
import { parseArgs } from 'node:util';
import { closestName } from '../schema/suggest.js';
import { UsageError } from './usage-error.js';

interface FlagOption {
  kind: 'flag';
  short?: string;
}

interface TextOption {
  kind: 'text';
  /** What the text must look like, and how to say it. */
  pattern?: RegExp;
  meaning?: string;
  /** Given any number of times (each value kept, in order): the values are a list. */
  repeatable?: boolean;
}

interface IntegerOption {
  kind: 'integer';
  min: number;
  max: number;
  /** What the number means, for the message that refuses one. */
  meaning: string;
}

type OptionSpec = FlagOption | TextOption | IntegerOption;

/** Node's timers fire at once (with a warning) past this many milliseconds. */
const LONGEST_TIMER_MS = 2_147_483_647;

export const OPTIONS = {
  input: { kind: 'text' },
  'input-file': { kind: 'text' },
  connection: { kind: 'text' },
  'allow-loopback': { kind: 'flag' },
  'dry-run': { kind: 'flag' },
  actions: { kind: 'flag' },
  json: { kind: 'flag' },
  port: { kind: 'integer', min: 0, max: 65_535, meaning: '0 picks a free port' },
  // It goes into an Authorization header as is.
  token: { kind: 'text', pattern: /^[\x21-\x7e]+$/, meaning: 'printable characters without spaces' },
  // About 2 KB of memory per generated user (100,000 take some 200 MB): a million is already a lot.
  seed: { kind: 'integer', min: 0, max: 1_000_000, meaning: 'generated users to add' },
  'rate-limit': {
    kind: 'integer',
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
    meaning:
      'requests per minute for each endpoint; 0 would refuse every request, and a large number such as 1000000 all but turns the limit off',
  },
  latency: { kind: 'integer', min: 0, max: LONGEST_TIMER_MS, meaning: 'milliseconds added to every answer' },
  url: { kind: 'text', pattern: /^https?:\/\/\S+$/, meaning: 'a URL, like https://hooks.example.com/okta' },
  follow: { kind: 'flag' },
  cursor: {
    kind: 'text',
    pattern: /^[A-Za-z0-9_-]+$/,
    meaning: 'a cursor printed by an earlier poll or lookup',
  },
  // The text typed in a picker: whatever it is, the list action's input schema checks it.
  search: { kind: 'text' },
  since: {
    kind: 'text',
    pattern: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/,
    meaning: 'an ISO 8601 date and time with a time zone, like 2026-11-20T08:00:00Z',
  },
  // The worker's: a BullMQ queue on a Redis server.
  redis: {
    kind: 'text',
    pattern: /^rediss?:\/\/\S+$/,
    meaning: 'a Redis URL, like redis://127.0.0.1:6379 (rediss:// for TLS)',
  },
  queue: {
    kind: 'text',
    pattern: /^[A-Za-z0-9_.-]{1,100}$/,
    meaning: 'a queue name: letters, digits, ".", "_" and "-" (BullMQ refuses ":")',
  },
  concurrency: { kind: 'integer', min: 1, max: 1000, meaning: 'jobs one worker runs at once' },
  'lock-duration': {
    kind: 'integer',
    min: 1000,
    max: 600_000,
    meaning: 'milliseconds a job stays with a worker that stopped answering before another takes it over',
  },
  connections: { kind: 'text' },
  'fleet-size': {
    kind: 'integer',
    min: 1,
    max: 1000,
    meaning: 'workers sharing the rate budget; each uses 1/n of it alone while Redis is out of reach',
  },
  help: { kind: 'flag', short: 'h' },
  version: { kind: 'flag' },
  http: { kind: 'flag' },
  sandbox: { kind: 'flag' },
  'read-only': { kind: 'flag' },
  categories: {
    kind: 'text',
    pattern: /^[^,]+(,[^,]+)*$/,
    meaning: 'categories separated by commas, like Users,Groups (okta-actions actions shows them)',
  },
} as const satisfies Record<string, OptionSpec>;

/**
 * An option that means something else to one command: `okta-actions mcp --actions get-user,list-users`
 * names the actions to serve, where `test-connection --actions` is a flag.
 */
const COMMAND_OPTIONS: Record<string, Partial<Record<string, TextOption>>> = {
  mcp: {
    actions: {
      kind: 'text',
      pattern: /^[a-z0-9-]+(,[a-z0-9-]+)*$/,
      meaning: 'action keys separated by commas, like get-user,list-users',
    },
    // One server, several orgs: --connection prod=prod.json --connection test=test.json.
    connection: { kind: 'text', repeatable: true },
  },
};

function specOf(name: OptionName, command: string | undefined): OptionSpec {
  const special =
    command !== undefined && Object.hasOwn(COMMAND_OPTIONS, command) ? COMMAND_OPTIONS[command] : {};
  return special?.[name] ?? OPTIONS[name];
}

export type OptionName = keyof typeof OPTIONS;

type ValueOf<Spec> = Spec extends { kind: 'flag' }
  ? boolean
  : Spec extends { kind: 'integer' }
    ? number
    : string;

type DeclaredValues = { -readonly [Name in OptionName]?: ValueOf<(typeof OPTIONS)[Name]> };

/**
 * The options given, typed: a flag is true, a number is a number in its range, text is text (and
 * --actions, a flag, is text for the commands of COMMAND_OPTIONS).
 */
export type OptionValues = Omit<DeclaredValues, 'actions' | 'connection'> & {
  actions?: boolean | string;
  /** A list only for a command that takes it repeated (mcp). */
  connection?: string | string[];
};

/** Options every command takes. */
const UNIVERSAL: readonly OptionName[] = ['help', 'version'];

/** What one command accepts. */
export interface CommandSyntax {
  options: readonly OptionName[];
  /** Options that give the same thing (the input, what to print): at most one of each group. */
  exclusive?: readonly { options: readonly OptionName[]; give: string }[];
  /** The positional arguments after the command's name: how many, and how to say so ("one action key"). */
  positionals: { min: number; max: number; takes: string };
}

/** One option as typed, before anything is known about the command. */
interface GivenOption {
  /** The declared option, or undefined for one nobody declared. */
  name: OptionName | undefined;
  /** As typed: `--port`, `-h`. */
  raw: string;
  value: string | undefined;
  /** The value came as `--port=8080` rather than as the next argument. */
  inline: boolean;
}

export interface CommandLine {
  /** The command's name and its arguments. */
  positionals: string[];
  options: GivenOption[];
}

/**
 * Splits argv into positionals and options without judging them (that needs the command): so that
 * `--help` and the command's name are known even on a command line with mistakes.
 */
export function splitCommandLine(argv: string[]): CommandLine {
  const first = splitFor(argv, undefined);
  const command = first.positionals[0];
  return command !== undefined && Object.hasOwn(COMMAND_OPTIONS, command) ? splitFor(argv, command) : first;
}

function splitFor(argv: string[], command: string | undefined): CommandLine {
  const { tokens } = parseArgs({
    args: argv,
    allowPositionals: true,
    // Not strict: the checks below say what is wrong in this CLI's words, naming the option.
    strict: false,
    tokens: true,
    options: Object.fromEntries(
      (Object.keys(OPTIONS) as OptionName[]).map((name) => {
        const spec = specOf(name, command);
        return [
          name,
          spec.kind === 'flag'
            ? { type: 'boolean' as const, ...('short' in spec ? { short: spec.short } : {}) }
            : { type: 'string' as const },
        ];
      }),
    ),
  });
  const positionals: string[] = [];
  const options: GivenOption[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    options.push({
      name: Object.hasOwn(OPTIONS, token.name) ? (token.name as OptionName) : undefined,
      raw: token.rawName,
      value: token.value,
      inline: token.inlineValue === true,
    });
  }
  return { positionals, options };
}

/** True when the command line holds the flag (as --help or -h), whatever else it holds. */
export function hasFlag(line: CommandLine, name: OptionName): boolean {
  return line.options.some((option) => option.name === name);
}

/**
 * Checks the options and positionals (after the command's name) against what the command accepts, and
 * returns the typed values. Throws a UsageError naming the first option that is wrong.
 */
export function checkCommandLine(
  line: CommandLine,
  command: string,
  syntax: CommandSyntax,
): { values: OptionValues; positionals: string[] } {
  const accepted = new Set([...syntax.options, ...UNIVERSAL]);
  const values: Record<string, string | string[] | number | boolean> = {};
  const seen = new Set<OptionName>();
  for (const option of line.options) {
    const name = checkName(option, command, accepted);
    const spec = specOf(name, command);
    if (spec.kind === 'flag') {
      if (option.inline) throw new UsageError(`${option.raw} takes no value (got "${option.value}").`);
      // A flag given twice says the same thing twice: harmless, unlike two different values.
      values[name] = true;
      continue;
    }
    if (spec.kind === 'text' && spec.repeatable) {
      seen.add(name);
      values[name] = [...((values[name] as string[] | undefined) ?? []), textValue(name, spec, option)];
      continue;
    }
    if (seen.has(name)) throw new UsageError(`--${name} is given more than once; give it once.`);
    seen.add(name);
    values[name] = spec.kind === 'integer' ? integerValue(name, spec, option) : textValue(name, spec, option);
  }
  for (const group of syntax.exclusive ?? []) {
    const given = group.options.filter((name) => seen.has(name) || values[name] === true);
    if (given.length > 1) {
      throw new UsageError(
        `${given.map((name) => `--${name}`).join(' and ')} both give ${group.give}; give one of them.`,
      );
    }
  }
  return { values: values as OptionValues, positionals: checkPositionals(line, command, syntax) };
}

function checkName(option: GivenOption, command: string, accepted: Set<OptionName>): OptionName {
  if (option.name === undefined) {
    const typed = option.raw.replace(/^-+/, '');
    const near = closestName(typed, Object.keys(OPTIONS));
    throw new UsageError(`Unknown option ${option.raw}.${near ? ` Did you mean --${near}?` : ''}`);
  }
  if (!accepted.has(option.name)) {
    const takes = [...accepted].filter((name) => !UNIVERSAL.includes(name)).map((name) => `--${name}`);
    throw new UsageError(
      `okta-actions ${command} does not take --${option.name}${takes.length > 0 ? ` (it takes ${takes.join(', ')})` : ''}.`,
    );
  }
  return option.name;
}

function textValue(name: OptionName, spec: TextOption, option: GivenOption): string {
  if (option.value === undefined) throw new UsageError(`--${name} needs a value.`);
  // `--input --dry-run`: without this check, "--dry-run" would quietly become the input.
  if (!option.inline && option.value.startsWith('-')) {
    throw new UsageError(
      `--${name} needs a value, and "${option.value}" looks like an option (if it is the value, write --${name}=${option.value}).`,
    );
  }
  if (spec.pattern && !spec.pattern.test(option.value)) {
    throw new UsageError(`--${name} must be ${spec.meaning ?? `like ${spec.pattern}`}.`);
  }
  return option.value;
}

function integerValue(name: OptionName, spec: IntegerOption, option: GivenOption): number {
  if (option.value === undefined) throw new UsageError(`--${name} needs a value (${spec.meaning}).`);
  const range =
    spec.max === Number.MAX_SAFE_INTEGER
      ? `a whole number of ${spec.min} or more`
      : `a whole number from ${spec.min} to ${spec.max}`;
  // Digits only: Number() would take "", " 8 ", "0x1F" and "1e3" as numbers.
  const value = /^\d+$/.test(option.value) ? Number(option.value) : Number.NaN;
  if (!(value >= spec.min && value <= spec.max)) {
    throw new UsageError(`--${name} must be ${range} (${spec.meaning}); got "${option.value}".`);
  }
  return value;
}

function checkPositionals(line: CommandLine, command: string, syntax: CommandSyntax): string[] {
  const positionals = line.positionals.slice(1);
  const { min, max, takes } = syntax.positionals;
  if (positionals.length < min)
    throw new UsageError(`okta-actions ${command} takes ${takes}; none was given.`);
  if (positionals.length > max) {
    const extra = positionals[max]!;
    // `run get-user '{"user":"x"}'`: the input given without its option.
    const hint = extra.trimStart().startsWith('{') ? " (the input goes in --input '<json>')" : '';
    throw new UsageError(`okta-actions ${command} takes ${takes}; "${extra}" is one too many${hint}.`);
  }
  return positionals;
}
