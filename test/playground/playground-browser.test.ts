/**
 * The playground end to end in a real browser (Debian's Chromium, driven by playwright-core): connect to
 * the sandbox, test the connection, pick create-user, fill it (a group from the picker), dry run, run, see
 * `changed: true`; and a page of another origin, or one without the session token, is refused. The
 * screenshots in README (docs/images/) are taken here.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRootUrl } from '../../src/package/module-url.js';
import { type Playground, startPlayground } from '../../src/playground/server.js';
import { launchChromium } from '../browser/kit/chromium.js';
import { useSandbox } from '../helpers/sandbox.js';
import { SANDBOX_HOST, sandboxConnection } from '../helpers/sandbox-actions.js';

const IMAGES = join(new URL('.', packageRootUrl).pathname, 'docs/images');
const context = useSandbox();
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(new URL('dist/playground/app.js', packageRootUrl)))
    throw new Error('dist/playground/ is missing: node scripts/build-playground.mjs (npm test builds it)');
  browser = await launchChromium();
}, 60_000);
afterAll(async () => browser?.close());

async function open(): Promise<{ playground: Playground; page: Page }> {
  const playground = await startPlayground({
    connection: sandboxConnection(context.sandbox),
    hostOptions: SANDBOX_HOST,
    assetsDir: new URL('dist/playground/', packageRootUrl),
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(playground.url);
  return { playground, page };
}

describe('the playground in a browser', () => {
  it('connects, tests the connection, fills create-user with a picked group, dry runs and runs it', async () => {
    const { playground, page } = await open();
    try {
      await expect
        .poll(() => page.textContent('[data-testid=connection]'))
        .toContain('api_token connection to http://127.0.0.1');
      await page.click('text=Test connection');
      await expect.poll(() => page.textContent('[data-testid=connection-check]')).toContain('Connected');
      await page.fill('input[aria-label="Search actions"]', 'create user');
      await page.click('[data-action=create-user]');
      await page.fill('#root_profile_email', 'pat.lee@example.com');
      await page.fill('#root_profile_firstName', 'Pat');
      await page.fill('#root_profile_lastName', 'Lee');
      // groupIds: add an item, then pick Engineering from the picker.
      await page.click('#root_groupIds button.array-item-add, #root_groupIds__add, button[title="Add Item"]');
      await page.click('[data-lookup=groupIds]');
      await page.fill('.lookup + div input[type=search], input[placeholder=Search]', 'Engineering');
      await page.keyboard.press('Enter');
      await page.click('button[data-option] >> text=Engineering');
      await page.click('[data-testid=dry-run]');
      await expect.poll(() => page.textContent('[data-testid=result]')).toContain('"dryRun": true');
      mkdirSync(IMAGES, { recursive: true });
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: join(IMAGES, 'playground-dry-run.png'), fullPage: true });
      await page.click('[data-testid=run]');
      await expect.poll(() => page.textContent('[data-testid=result]')).toContain('"changed": true');
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: join(IMAGES, 'playground-run.png'), fullPage: true });
      const result = JSON.parse((await page.textContent('[data-testid=result]')) ?? '{}');
      expect(result).toMatchObject({ ok: true, output: { login: 'pat.lee@example.com', changed: true } });
      expect(JSON.stringify(result)).not.toContain(context.sandbox.token);
    } finally {
      await page.close();
      await playground.close();
    }
  }, 60_000);

  it('refuses a page of another origin, and a call without the session token', async () => {
    const { playground, page } = await open();
    try {
      const servedBefore = context.sandbox.served.length;
      const withoutToken = await page.evaluate(
        async () => (await fetch('/api/test-connection', { method: 'POST', body: '{}' })).status,
      );
      expect(withoutToken).toBe(401);
      const other = await browser.newPage();
      await other.goto('about:blank');
      const token = new URL(playground.url).searchParams.get('token');
      const forged = await other.evaluate(
        async ([url, t]) => {
          try {
            const response = await fetch(`${url}/api/test-connection`, {
              method: 'POST',
              headers: { 'x-playground-token': t ?? '' },
              body: '{}',
            });
            return response.status;
          } catch {
            return 'blocked by the browser';
          }
        },
        [new URL(playground.url).origin, token],
      );
      // The server refuses the foreign Origin (403); the browser may block the call before that.
      expect([403, 'blocked by the browser']).toContain(forged);
      await other.close();
      // Neither reached Okta.
      expect(context.sandbox.served.length).toBe(servedBefore);
    } finally {
      await page.close();
      await playground.close();
    }
  }, 60_000);
});
