/**
 * `okta-actions lookup <action> <field>`: the options a picker offers for an id field (its x-lookup), one
 * a line (value, a tab, the label, and a tab and the description when there is one), or with --json the
 * whole page. The cursor of the next page goes to stderr, so the lines on stdout stay one option each.
 * The action and the field are checked before the input and the connection are read.
 */
import { inputFieldAt, isLookupSource, lookupFields } from '../manifest/lookups.js';
import type { ActionContract } from '../manifest/manifest.js';
import { lookup } from '../runtime/lookup.js';
import { closestName } from '../schema/suggest.js';
import type { CliIo } from './cli-io.js';
import {
  connectionFile,
  keepRefreshedTokens,
  knownAction,
  readConnection,
  readInput,
} from './command-input.js';
import type { OptionValues } from './options.js';
import { UsageError } from './usage-error.js';

export async function lookupCommand(
  actionKey: string,
  fieldPath: string,
  values: OptionValues,
  io: CliIo,
): Promise<number> {
  knownLookup(knownAction(actionKey), fieldPath);
  const input = await readInput(values, io);
  const connection = await readConnection(values, io);
  const result = await lookup(
    actionKey,
    fieldPath,
    {
      connection,
      input,
      ...(values.search !== undefined ? { search: values.search } : {}),
      ...(values.cursor !== undefined ? { cursor: values.cursor } : {}),
    },
    { allowLoopback: values['allow-loopback'] ?? false },
  );
  const { connectionUpdate, ...meta } = result.meta;
  await keepRefreshedTokens(connectionUpdate, connection, connectionFile(values), io);
  if (!result.ok) {
    io.stderr(`${JSON.stringify({ error: result.error, meta }, null, 2)}\n`);
    return 1;
  }
  const { options, nextCursor } = result.output;
  if (values.json) {
    io.stdout(`${JSON.stringify({ options, nextCursor }, null, 2)}\n`);
    return 0;
  }
  for (const option of options) {
    const description = option.description ? `\t${oneLine(option.description)}` : '';
    io.stdout(`${option.value}\t${oneLine(option.label)}${description}\n`);
  }
  if (options.length === 0) io.stderr('No options.\n');
  if (nextCursor) io.stderr(`More options: add --cursor ${nextCursor}\n`);
  return 0;
}

/** A label printed on one line, whatever it holds. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/** The field must exist and have a picker; otherwise say which fields of the action have one. */
function knownLookup(action: ActionContract, path: string): void {
  const pickers = lookupFields(action);
  const offer =
    pickers.length > 0
      ? `Fields of ${action.key} with a lookup: ${pickers.join(', ')}.`
      : `No field of ${action.key} has a lookup.`;
  const field = inputFieldAt(action, path);
  if (!field) {
    const near = closestName(path, pickers);
    throw new UsageError(
      `${action.key} has no input field "${path}".${near ? ` Did you mean "${near}"?` : ''} ${offer}`,
    );
  }
  if (isLookupSource(field.lookup)) return;
  const why = field.lookup
    ? `no list offers its values: ${field.lookup.none}`
    : "it is not an Okta object's id or login.";
  throw new UsageError(`The field "${path}" of ${action.key} has no lookup: ${why} ${offer}`);
}
