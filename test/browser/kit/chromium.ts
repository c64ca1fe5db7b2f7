/**
 * A headless Chromium for tests, driven by playwright-core: the system's browser (Debian's `chromium`),
 * never one downloaded by Playwright. CHROMIUM_PATH overrides where it is looked for.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const DEFAULT_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** Switches that keep a headless run quiet and offline: no sync, updates, QUIC or first-run work. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The browser's executable, or an error that says how to get one (a missing browser fails, never skips). */
export function chromiumPath(): string {
  const candidates = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : DEFAULT_PATHS;
  const found = candidates.find((path) => existsSync(path));
  if (found) return found;
  throw new Error(
    `Chromium not found (looked at ${candidates.join(', ')}). The browser tests need it: ` +
      'install it with `apt-get update && apt-get install -y chromium` (.ci/run does), ' +
      'or set CHROMIUM_PATH to a Chromium executable.',
  );
}

/**
 * Launches the browser. A non-persistent launch runs on a fresh temporary profile that Playwright
 * creates and removes itself.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, timeout: 60_000 });
}
