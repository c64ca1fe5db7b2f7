/**
 * Every connection form and every action's input form of the manifest, drawn by react-jsonschema-form 6
 * (default settings, Ajv 8 validator, the manifest's uiSchema applied) in headless Chromium, and checked
 * through the DOM (form-checks.ts). One browser, one page, one form after the other.
 *
 *   npx vitest run test/browser
 *
 * Needs Chromium (/usr/bin/chromium, or CHROMIUM_PATH): without it the suite fails, saying so.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAjv } from '../../src/schema/validation.js';
import { type CheckData, checkForm, draw, formState, submit } from './form-checks.js';
import { exampleProblems, layoutProblems } from './hint-checks.js';
import { launchChromium } from './kit/chromium.js';
import { bundleBrowserEntry, type ServedPage, servePage } from './kit/page-server.js';
import type { FormSpec } from './rjsf-page/protocol.js';

const here = dirname(fileURLToPath(import.meta.url));
const manifest = JSON.parse(readFileSync(join(here, '../../manifest.json'), 'utf8')) as {
  connections: Record<string, { schema: FormSpec['schema']; uiSchema?: FormSpec['uiSchema'] }>;
  actions: Array<{
    key: string;
    input: FormSpec['schema'];
    uiSchema?: FormSpec['uiSchema'];
    examples: Array<{ title: string; input: unknown }>;
  }>;
};

const forms: Array<{ name: string; spec: FormSpec; examples: Array<{ title: string; input: unknown }> }> = [
  ...Object.entries(manifest.connections).map(([type, connection]) => ({
    name: `connection ${type}`,
    spec: { schema: connection.schema, uiSchema: connection.uiSchema },
    examples: [],
  })),
  ...manifest.actions.map((action) => ({
    name: `action ${action.key}`,
    spec: { schema: action.input, uiSchema: action.uiSchema },
    examples: action.examples,
  })),
];

let browser: Browser | undefined;
let server: ServedPage | undefined;
let page: Page;
let ajv: Awaited<ReturnType<typeof newAjv>>;
const tally = { forms: 0, fields: 0, examples: 0, failed: 0, problems: 0 };

/** What the page threw while the current form was checked (a renderer crash fails the form). */
const pageErrors: string[] = [];

/** Why the browser or the page could not start: every test then fails with it (none is skipped). */
let startFailure: unknown;

/** The page, once the browser and the server are up; otherwise the reason they are not. */
function ready(): Page {
  if (startFailure) throw startFailure;
  return page;
}

beforeAll(async () => {
  try {
    await start();
  } catch (error) {
    startFailure = error;
  }
}, 120_000);

async function start(): Promise<void> {
  browser = await launchChromium();
  server = await servePage({
    title: 'okta-actions forms',
    script: await bundleBrowserEntry(join(here, 'rjsf-page/page.ts')),
  });
  page = await browser.newPage();
  // A control that cannot take input fails its check at once instead of being waited for.
  page.setDefaultTimeout(2_000);
  page.on('pageerror', (error) => pageErrors.push(`the page threw: ${error.message}`));
  await page.goto(server.url);
  await page.waitForFunction(() => 'rjsfPage' in globalThis);
  ajv = await newAjv({ useDefaults: true });
}

afterAll(async () => {
  await browser?.close();
  await server?.close();
  console.log(
    `RJSF forms: ${tally.forms} forms, ${tally.fields} fields and ${tally.examples} examples checked; ` +
      `${tally.failed} form(s) with ${tally.problems} problem(s)`,
  );
});

/** The runtime's own Ajv (useDefaults, x-trim), as execute() would check the form's data. */
function checker(schema: FormSpec['schema']): CheckData {
  const validate = ajv.compile(schema);
  return (data) => {
    const copy = structuredClone(data ?? {});
    const valid = validate(copy);
    return {
      data: copy,
      errors: valid
        ? []
        : (validate.errors ?? []).map((e) => ({
            keyword: e.keyword,
            instancePath: e.instancePath,
            params: e.params as Record<string, unknown>,
          })),
    };
  };
}

describe('every form of the manifest in react-jsonschema-form', () => {
  it('covers every connection type and every action', () => {
    expect(forms.length).toBe(Object.keys(manifest.connections).length + manifest.actions.length);
  });

  for (const { name, spec, examples } of forms) {
    it(name, async () => {
      const page = ready();
      pageErrors.length = 0;
      const check = checker(spec.schema);
      const report = await checkForm(page, spec, check);
      const problems = [
        ...report.problems,
        ...(await layoutProblems(page, spec)),
        ...(await exampleProblems(page, spec, examples, check)),
      ];
      problems.push(...pageErrors);
      tally.forms += 1;
      tally.fields += report.fields;
      tally.examples += examples.length;
      if (problems.length > 0) {
        tally.failed += 1;
        tally.problems += problems.length;
      }
      expect(problems, `${name}:\n  ${problems.join('\n  ')}`).toEqual([]);
    });
  }

  it('assign-role-to-user asks for the custom role and its resource set once Custom role is chosen', async () => {
    const page = ready();
    const action = manifest.actions.find((a) => a.key === 'assign-role-to-user')!;
    await draw(page, {
      schema: action.input,
      uiSchema: action.uiSchema,
      formData: { user: 'jane.doe@example.com' },
    });
    await page.locator('[id="root_roleType"]').selectOption({ label: 'Custom role' });
    await submit(page);
    const { errors } = await formState(page);
    // Ajv also reports the if/then as a whole ("must match then schema"); the fields' errors name them.
    expect(errors?.map((e) => e.stack)).toEqual(
      expect.arrayContaining([
        "must have required property 'Custom role ID'",
        "must have required property 'Resource set ID'",
      ]),
    );
    await page.locator('[id="root_roleType"]').selectOption({ label: 'Help Desk Administrator' });
    await submit(page);
    expect(await formState(page)).toMatchObject({
      errors: null,
      submitted: { user: 'jane.doe@example.com', roleType: 'HELP_DESK_ADMIN' },
    });
  });
});
