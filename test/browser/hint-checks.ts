/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Checks that go beyond drawing a field: the layout hints (uiSchema) took effect in the DOM, and every
 * example input of an action, given to its form, submits as it is (plus the schema's defaults).
 */
import { isDeepStrictEqual } from 'node:util';
import type { Page } from 'playwright-core';
import { type CheckData, draw, formState, submit } from './form-checks.js';
import { formFields } from './form-fields.js';
import type { FormSpec } from './rjsf-page/protocol.js';

/** Options every list has and few builders change: always among the advanced ones. */
const PAGING = ['limit', 'maxItems', 'cursor', 'expand'];

/** The hints of the field at `path` in a uiSchema (a list's items under `items`). */
function hintsAt(
  ui: Record<string, unknown> | undefined,
  path: Array<string | number>,
): Record<string, unknown> {
  let node: unknown = ui;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return {};
    node = (node as Record<string, unknown>)[typeof key === 'number' ? 'items' : key];
  }
  return node !== null && typeof node === 'object' ? (node as Record<string, unknown>) : {};
}

/**
 * The fields come in ui:order; secrets are password inputs; a textarea, a placeholder and the advanced
 * mark are where the hints put them. The form is drawn untouched (fields inside lists are not opened).
 */
export async function layoutProblems(page: Page, spec: FormSpec): Promise<string[]> {
  const ui = spec.uiSchema;
  if (!ui) return ['no layout hints (uiSchema)'];
  await draw(page, spec);
  const problems: string[] = [];
  const order = (ui['ui:order'] as string[]).filter((name) => name !== '*');
  const required = (spec.schema.required as string[] | undefined) ?? [];
  if (!isDeepStrictEqual(order.slice(0, required.length).sort(), [...required].sort()))
    problems.push(`ui:order ${JSON.stringify(order)} does not start with the required fields`);
  const positions = await page.evaluate(
    (ids) => {
      const all = [...document.querySelectorAll('form [id]')].map((el) => el.id);
      return ids.map((id) => all.indexOf(id));
    },
    order.map((name) => `root_${name}`),
  );
  if (positions.some((p, i) => p < 0 || (i > 0 && p <= (positions[i - 1] ?? -1))))
    problems.push(`fields are not in ui:order ${JSON.stringify(order)}: at ${JSON.stringify(positions)}`);
  for (const field of formFields(spec.schema).filter((f) => f.opens.length === 0)) {
    const hints = hintsAt(ui, field.path);
    const dom = await page.evaluate((id) => {
      const el = document.getElementById(id) as HTMLInputElement | null;
      if (!el) return undefined;
      return {
        tag: el.tagName.toLowerCase(),
        type: el.type,
        placeholder: el.getAttribute('placeholder') ?? '',
        advanced: Boolean(el.closest('.okta-actions-advanced')),
      };
    }, field.id);
    if (!dom) continue; // formChecks reports a missing control
    const secret = field.schema['x-secret'] === true || field.schema.format === 'password';
    if (secret && dom.type !== 'password') problems.push(`${field.id}: a secret shown as ${dom.type}`);
    if (hints['ui:widget'] === 'textarea' && dom.tag !== 'textarea')
      problems.push(`${field.id}: a ${dom.tag}, not the textarea its hints ask for`);
    if (typeof hints['ui:placeholder'] === 'string' && dom.placeholder !== hints['ui:placeholder'])
      problems.push(`${field.id}: placeholder "${dom.placeholder}", not "${hints['ui:placeholder']}"`);
    const advanced = (hints['ui:options'] as { advanced?: boolean } | undefined)?.advanced === true;
    const paging = field.path.length === 1 && PAGING.includes(String(field.path[0])) && !field.required;
    if (paging && !dom.advanced)
      problems.push(`${field.id}: a paging or expansion option not marked advanced`);
    if (advanced !== dom.advanced)
      problems.push(`${field.id}: advanced mark ${dom.advanced}, hints say ${advanced}`);
  }
  return problems;
}

/** Each example, as the form's starting data, submits without an error and unchanged (defaults added). */
export async function exampleProblems(
  page: Page,
  spec: FormSpec,
  examples: Array<{ title: string; input: unknown }>,
  check: CheckData,
): Promise<string[]> {
  const problems: string[] = [];
  for (const example of examples) {
    await draw(page, { ...spec, formData: example.input });
    await submit(page);
    const { errors, submitted } = await formState(page);
    const expected = check(example.input).data;
    if (errors)
      problems.push(`example "${example.title}" does not submit: ${errors.map((e) => e.stack).join(' | ')}`);
    else if (!isDeepStrictEqual(submitted, expected))
      problems.push(
        `example "${example.title}" submits ${JSON.stringify(submitted)}, not ${JSON.stringify(expected)}`,
      );
  }
  return problems;
}
