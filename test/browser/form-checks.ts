/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The checks of one form in the RJSF page, through the DOM (Playwright) and the page's reports: drawn
 * without an unsupported field or a raw schema dump, an untouched form holding and submitting only the
 * schema's defaults, required-field errors naming titles, and every field taking a value.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Locator, Page } from 'playwright-core';
import { type FormField, formFields, type Opener, type Schema, schemaAt, valueAt } from './form-fields.js';
import type { FormSpec, FormState, RjsfPage } from './rjsf-page/protocol.js';

/** What the runtime's Ajv (useDefaults) makes of some form data: the data with defaults, and its errors. */
export type CheckData = (data: unknown) => {
  data: unknown;
  errors: Array<{ keyword: string; instancePath: string; params: Record<string, unknown> }>;
};

export interface FormReport {
  fields: number;
  problems: string[];
}

export async function draw(page: Page, spec: FormSpec): Promise<void> {
  await page.evaluate((s) => (globalThis as unknown as { rjsfPage: RjsfPage }).rjsfPage.render(s), spec);
}

export function formState(page: Page): Promise<FormState> {
  return page.evaluate(() => (globalThis as unknown as { rjsfPage: RjsfPage }).rjsfPage.state());
}

/** Every check of one form; the problems found, each a sentence naming the field. */
export async function checkForm(page: Page, spec: FormSpec, check: CheckData): Promise<FormReport> {
  const problems: string[] = [];
  await draw(page, spec);
  problems.push(...(await renderingProblems(page)));
  problems.push(...(await untouchedProblems(page, spec, check)));
  await draw(page, spec);
  const fields = formFields(spec.schema);
  const opened = new Set<string>();
  for (const field of fields) {
    for (const opener of field.opens) {
      if (opened.has(opener.id)) continue;
      opened.add(opener.id);
      if (!(await open(page, opener))) problems.push(`${opener.id}: no button to add a ${noun(opener)}`);
    }
    problems.push(...(await fieldProblems(page, field)).map((p) => `${field.id}: ${p}`));
  }
  return { fields: fields.length, problems };
}

const noun = (opener: Opener) => (opener.kind === 'array' ? 'list item' : 'property');

/** No "Unsupported field", no schema dumped as JSON, no text control prefilled with JSON. */
async function renderingProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const form = document.querySelector('form');
    if (!form) return ['no form was drawn'];
    for (const node of form.querySelectorAll('.unsupported-field'))
      found.push(`unsupported field: ${node.textContent?.slice(0, 160)}`);
    if (/unsupported field/i.test(form.textContent ?? '') && found.length === 0)
      found.push('the text "Unsupported field" is shown');
    for (const pre of form.querySelectorAll('pre')) found.push(`raw dump: ${pre.textContent?.slice(0, 80)}`);
    for (const control of form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')) {
      if (/^\s*[[{]/.test(control.value))
        found.push(`${control.id} shows raw JSON: ${control.value.slice(0, 80)}`);
    }
    return found;
  });
}

/** The untouched form holds the schema's defaults and nothing else; its submit sends them, or says why not. */
async function untouchedProblems(page: Page, spec: FormSpec, check: CheckData): Promise<string[]> {
  const problems: string[] = [];
  const expected = check({});
  const before = await formState(page);
  problems.push(...untouchedDifferences(before.formData, expected.data, check(before.formData)));
  await submit(page);
  const after = await formState(page);
  if (expected.errors.length === 0) {
    if (after.errors) problems.push(`the untouched form does not submit: ${stacks(after.errors)}`);
    else if (!isDeepStrictEqual(after.submitted, expected.data))
      problems.push(
        `the untouched form submits ${json(after.submitted)}, not the defaults ${json(expected.data)}`,
      );
    return problems;
  }
  if (!after.errors || after.submitted !== null) {
    problems.push(`the untouched form submits ${json(after.submitted)} though it misses required fields`);
    return problems;
  }
  const shown = (await page.locator('.errors li').allTextContents()).map((text) => text.trim());
  for (const line of shown) {
    if (/^\.\S/.test(line)) problems.push(`an error names a path, not a title: "${line}"`);
  }
  for (const { title, key } of missingRequired(check(before.formData).errors, spec.schema)) {
    const named = shown.some((line) => title !== undefined && line.includes(`'${title}'`));
    if (!named)
      problems.push(`no error names the required field "${title ?? key}" by its title: ${shown.join(' | ')}`);
  }
  return problems;
}

/**
 * Where the untouched form's data differs from the defaults. RJSF puts an empty list or object at a
 * required list or object: no value of the builder's, allowed only where it does not pass (the form then
 * asks for it instead of sending it).
 */
function untouchedDifferences(
  actual: unknown,
  defaults: unknown,
  checked: ReturnType<CheckData>,
  path = '',
): string[] {
  if (isDeepStrictEqual(actual, defaults)) return [];
  if (isRecord(actual) && isRecord(defaults)) {
    const keys = new Set([...Object.keys(actual), ...Object.keys(defaults)]);
    return [...keys].flatMap((key) => {
      const at = `${path}/${key}`;
      if (!(key in defaults) && isEmptyContainer(actual[key])) {
        const invalid = checked.errors.some(
          (e) => e.instancePath === at || e.instancePath.startsWith(`${at}/`),
        );
        return invalid ? [] : [`the untouched form holds ${json(actual[key])} at ${at}, a value that passes`];
      }
      return untouchedDifferences(actual[key], defaults[key], checked, at);
    });
  }
  return [
    `the untouched form holds ${json(actual)} at ${path || '/'}; the schema's default is ${json(defaults)}`,
  ];
}

/** The required properties missing from some data, with the titles the form should name them by. */
function missingRequired(errors: ReturnType<CheckData>['errors'], schema: Schema) {
  return errors
    .filter((e) => e.keyword === 'required')
    .map((e) => {
      const key = String(e.params.missingProperty);
      const path = [...e.instancePath.split('/').slice(1), key];
      return { key, title: schemaAt(schema, path)?.title as string | undefined };
    });
}

/**
 * Submits as the submit button would once the browser's own checks pass: with default settings RJSF
 * also marks required inputs `required`, and the browser stops an empty one before RJSF is asked.
 */
export async function submit(page: Page): Promise<void> {
  await page.evaluate(() => {
    document
      .querySelector('form')
      ?.dispatchEvent(new SubmitEvent('submit', { bubbles: true, cancelable: true }));
  });
}

/** Clicks a list's "add item" or an object's "add property" button; false when it has none. */
async function open(page: Page, opener: Opener): Promise<boolean> {
  const buttonClass = opener.kind === 'array' ? 'rjsf-array-item-add' : 'rjsf-object-property-expand';
  return page.evaluate(
    ([id, cls]) => {
      const container = document.getElementById(id as string);
      const button = [...(container?.querySelectorAll<HTMLButtonElement>(`.${cls} button`) ?? [])].find(
        (b) => b.closest('fieldset') === container,
      );
      button?.click();
      return Boolean(button);
    },
    [opener.id, buttonClass],
  );
}

/** The field's control exists, takes a value of its kind (and null, if nullable), or shows its fixed one. */
async function fieldProblems(page: Page, field: FormField): Promise<string[]> {
  const control = page.locator(`[id="${field.id}"]`);
  const kind = await control
    .evaluate((el) => {
      const tag = el.tagName.toLowerCase();
      const input = el as HTMLInputElement;
      return {
        tag,
        type: tag === 'input' ? input.type : tag,
        locked: input.readOnly === true || input.disabled === true,
        value: 'value' in el ? String(input.value) : '',
      };
    })
    .catch(() => undefined);
  if (!kind) return ['no control on the page'];
  if (!['input', 'select', 'textarea'].includes(kind.tag)) return [`no input control (a <${kind.tag}>)`];
  if (field.fixed) {
    const expected = String(field.schema.const ?? field.schema.default ?? '');
    if (!kind.locked) return ['a fixed value shown as an editable control'];
    return kind.value === expected ? [] : [`shows "${kind.value}", not its fixed value "${expected}"`];
  }
  if (kind.locked) return ['the control is read-only or disabled'];
  return kind.type === 'select'
    ? selectProblems(page, control, field)
    : entryProblems(page, control, field, kind.type);
}

async function selectProblems(page: Page, control: Locator, field: FormField): Promise<string[]> {
  const labels = (await control.locator('option').allTextContents()).filter((label) => label !== '');
  const titles = (field.choices ?? []).map((c) => c.title ?? String(c.value));
  const problems: string[] = [];
  if (!isDeepStrictEqual([...labels].sort(), [...titles].sort()))
    problems.push(`its options ${json(labels)} are not the titles ${json(titles)}`);
  const values = await control
    .locator('option')
    .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
  // The first real option after the first one: a change even where the first is the default.
  const pick = values.findIndex((value, index) => value !== '' && index > 0);
  await control.selectOption({ index: Math.max(pick, 0) });
  const chosen = valueAt((await formState(page)).formData, field.path);
  const label = (await control.locator('option:checked').textContent()) ?? '';
  const choice = field.choices?.find((c) => isDeepStrictEqual(c.value, chosen));
  if (!choice) problems.push(`choosing "${label}" gives ${json(chosen)}, not one of its values`);
  else if ((choice.title ?? String(choice.value)) !== label)
    problems.push(`choosing "${label}" gives ${json(chosen)}, titled "${choice.title}"`);
  return problems;
}

async function entryProblems(
  page: Page,
  control: Locator,
  field: FormField,
  type: string,
): Promise<string[]> {
  const read = async () => valueAt((await formState(page)).formData, field.path);
  if (type === 'checkbox') {
    const before = await control.isChecked();
    await control.click();
    const after = await read();
    return after === !before ? [] : [`ticking it gives ${json(after)}`];
  }
  const [typed, wanted] =
    type === 'number'
      ? ['7', 7]
      : type === 'datetime-local'
        ? ['2026-01-31T09:00', undefined]
        : [field.example ?? 'abc', field.example ?? 'abc'];
  await control.fill(typed);
  const entered = await read();
  const problems: string[] = [];
  if (wanted === undefined ? typeof entered !== 'string' : entered !== wanted)
    problems.push(`typing "${typed}" gives ${json(entered)}`);
  if (field.nullable) {
    await control.fill('');
    const cleared = await read();
    if (cleared !== null) problems.push(`emptying it gives ${json(cleared)}, not null (clearing it)`);
  }
  return problems;
}

const stacks = (errors: Array<{ stack: string }>) => errors.map((e) => e.stack).join(' | ');
const json = (value: unknown) => (value === undefined ? 'nothing' : JSON.stringify(value));
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isEmptyContainer = (value: unknown) =>
  (Array.isArray(value) && value.length === 0) || (isRecord(value) && Object.keys(value).length === 0);
