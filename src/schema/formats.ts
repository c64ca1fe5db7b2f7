/**
 * The string formats of every check: ajv-formats' own, in its 'full' mode for inputs and 'fast' mode for
 * outputs, plus two it lacks. Ajv compiles with these tables (src/schema/ajv.ts) and the precompiled
 * checks read them at run time (src/schema/precompiled.ts), so both see the same formats.
 */
import { createRequire } from 'node:module';
import type { Format } from 'ajv';
import type * as AjvFormats from 'ajv-formats/dist/formats.js';
import { moduleUrl } from '../package/module-url.js';
import { isInternationalizedEmail } from './idn-email.js';

export type FormatTable = Record<string, Format>;

export interface FormatTables {
  /** Inputs: dates checked on the calendar (people type them). */
  input: FormatTable;
  /**
   * Outputs: the regex-only formats. Their values come from Okta, whose timestamps are well formed; the
   * full date-time check (calendar days, leap seconds) costs ~1.1 us a value against 0.06, ~8% of listing
   * 100,000 users (bench/large-lists.mjs), and could only turn an Okta quirk into a failed run.
   */
  output: FormatTable;
}

let tables: FormatTables | undefined;

/**
 * The tables, with ajv-formats required from this package's own location on first use (a CommonJS file:
 * required, it costs less than imported as an ES module, which a fresh process's first run paid).
 */
export function formatTables(): FormatTables {
  tables ??= formatTablesOf(createRequire(moduleUrl)('ajv-formats/dist/formats.js') as typeof AjvFormats);
  return tables;
}

/** The tables made of ajv-formats' own (the generator hands in the copy it compiles with). */
export function formatTablesOf({ fullFormats, fastFormats }: typeof AjvFormats): FormatTables {
  const ours: FormatTable = {
    // draft-07's internationalized email, which ajv-formats lacks: email fields take it, since Okta takes
    // Unicode in logins and email addresses (help.okta.com, "Supported Okta email address characters").
    'idn-email': isInternationalizedEmail,
    // Secret fields are marked for form renderers; the format carries no constraint of its own.
    password: true,
  };
  return { input: { ...fullFormats, ...ours }, output: { ...fastFormats, ...ours } };
}
