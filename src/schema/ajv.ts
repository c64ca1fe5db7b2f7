/**
 * The one Ajv configuration: what the runtime compiles a schema with when it has no precompiled check
 * (src/schema/validation.ts), what npm run gen compiles the manifest's schemas with ahead of time
 * (scripts/validators.mjs, into validators/), and what the tests use. One function, so the checks compiled
 * ahead of time and those compiled at run time cannot drift apart.
 *
 * It takes Ajv's module rather than importing it: the runtime requires it (synchronously, on first use),
 * and the generator hands in the copy whose standalone code generator it then runs (their code objects
 * must come from one copy). This module itself loads nothing.
 */
import type { Ajv, CodeKeywordDefinition, _ as CodeTemplate } from 'ajv';
import { type FormatTables, formatTables } from './formats.js';

type AjvInstance = Ajv;

/** What this module needs of Ajv's module (`require('ajv')`). */
export interface AjvModule {
  Ajv: typeof Ajv;
  _: typeof CodeTemplate;
}

export interface AjvSettings {
  /** Inputs: fill in schema defaults and apply `x-trim` (both change the data, which is then a copy). */
  useDefaults: boolean;
  /** ajv-formats' mode: 'full' (the default) checks dates on the calendar, 'fast' by pattern only. */
  formats?: 'full' | 'fast';
  /**
   * For npm run gen: keep each validator's source for Ajv's standalone code, which then reads its formats
   * from the variable `inputFormats` or `outputFormats` (what src/schema/precompiled.ts hands in).
   */
  standalone?: boolean;
}

/** Ajv as every check of okta-actions uses it. `tables` defaults to the format tables of formats.ts. */
export function configureAjv(
  ajvModule: AjvModule,
  settings: AjvSettings,
  tables: FormatTables = formatTables(),
): AjvInstance {
  const { Ajv: AjvClass, _ } = ajvModule;
  const mode = settings.formats ?? 'full';
  const ajv = new AjvClass({
    allErrors: true,
    // parentSchema lets messages name the known fields and show an example; values are never quoted.
    verbose: true,
    useDefaults: settings.useDefaults,
    strict: true,
    strictRequired: false,
    strictTypes: false,
    logger: false,
    ...(settings.standalone
      ? { code: { source: true, esm: false, formats: mode === 'full' ? _`inputFormats` : _`outputFormats` } }
      : {}),
  });
  // ajv-formats' formats, plus idn-email and password (formats.ts says why), as ajv-formats would add them.
  for (const [name, format] of Object.entries(mode === 'full' ? tables.input : tables.output))
    ajv.addFormat(name, format);
  ajv.addKeyword({ keyword: 'x-secret', schemaType: 'boolean' });
  // Where a picker finds an id field's options (README, "Pickers"); it constrains nothing.
  ajv.addKeyword({ keyword: 'x-lookup', schemaType: 'object' });
  ajv.addKeyword(settings.useDefaults ? trimKeyword(_) : { keyword: 'x-trim', schemaType: 'boolean' });
  return ajv;
}

/**
 * `x-trim: true` on an identifier (an id, a login): the input's value loses surrounding whitespace before
 * it is checked and used, as a person pasting " jane.doe@example.com " means the user, whom Okta would
 * not find with the spaces. Only where the schema says so: a password or a description keeps its spaces.
 * It runs before the string's other keywords (its pattern, its length), which see the trimmed value.
 *
 * Generated code rather than a function Ajv calls, so that it survives standalone compilation: the value
 * is replaced in its parent (the copy being checked) and in the variable the later keywords read.
 */
function trimKeyword(_: typeof CodeTemplate): CodeKeywordDefinition {
  return {
    keyword: 'x-trim',
    type: 'string',
    schemaType: 'boolean',
    before: 'maxLength',
    code(cxt) {
      const { gen, data, schema, it } = cxt;
      if (schema !== true) return;
      // A value without a parent (the root of the data) has nowhere to be replaced; none is a string.
      gen.if(_`${it.parentData} !== undefined && ${data} !== ${data}.trim()`, () => {
        gen.assign(_`${it.parentData}[${it.parentDataProperty}]`, _`${data}.trim()`);
        gen.assign(data, _`${it.parentData}[${it.parentDataProperty}]`);
      });
    },
  };
}
