/**
 * The string formats of every check: ajv-formats' own, in its 'full' mode for inputs and 'fast' mode for
 * outputs, plus two it lacks. Ajv compiles with these tables (src/schema/ajv.ts) and the precompiled
 * checks read them at run time (src/schema/precompiled.ts), so both see the same formats.
 */
import type { Format } from 'ajv';
import * as formatsModule from 'ajv-formats/dist/formats.js';
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

export function formatTables(): FormatTables {
  if (!tables) {
    // CommonJS: its exports sit on the namespace itself (bundled, CommonJS) or on its default (ES module).
    const loaded = formatsModule as unknown as typeof formatsModule & { default?: typeof formatsModule };
    const { fullFormats, fastFormats } = loaded.fullFormats ? loaded : loaded.default!;
    const ours: FormatTable = {
      // draft-07's internationalized email, which ajv-formats lacks: email fields take it, since Okta takes
      // Unicode in logins and email addresses (help.okta.com, "Supported Okta email address characters").
      'idn-email': isInternationalizedEmail,
      // Secret fields are marked for form renderers; the format carries no constraint of its own.
      password: true,
    };
    tables = { input: { ...fullFormats, ...ours }, output: { ...fastFormats, ...ours } };
  }
  return tables;
}
