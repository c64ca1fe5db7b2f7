/**
 * What every benchmark shares: loading the built plugin and sandbox (dist/), statistics, and one way of
 * printing a scenario: the baseline, the figure, their ratio (measured in the same run) and the goal.
 * Not a benchmark itself (bench/run.mjs skips it).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** dist/ built from the current src/ (built once if missing; `npm run build` after changing src/). */
export function ensureBuilt() {
  if (!existsSync(join(root, 'dist/index.js')) || !existsSync(join(root, 'dist/sandbox.js'))) {
    console.log('dist/ is missing; building it first (npm run build)');
    execFileSync(join(root, 'node_modules/.bin/tsup'), ['--silent'], { cwd: root, stdio: 'inherit' });
  }
}

export const pluginUrl = () => pathToFileURL(join(root, 'dist/index.js')).href;
export const sandboxUrl = () => pathToFileURL(join(root, 'dist/sandbox.js')).href;

export async function loadPlugin() {
  ensureBuilt();
  return import(pluginUrl());
}

export async function loadSandbox() {
  ensureBuilt();
  return import(sandboxUrl());
}

/**
 * A sandbox in a process of its own (`okta-actions sandbox`), so that what is measured here does not share
 * an event loop with the server. Resolves to `{ url, token, close() }`.
 */
export function spawnSandbox(args = []) {
  ensureBuilt();
  const child = spawn(process.execPath, [join(root, 'dist/cli.js'), 'sandbox', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // However this process ends (a benchmark that throws included), the sandbox ends with it.
  process.once('exit', () => child.kill());
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`the sandbox exited (${code}) before it listened`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (\S+) \(API token: (\S+)\)/.exec(out);
      if (!match) return;
      child.removeAllListeners('exit');
      resolve({
        url: match[1],
        token: match[2],
        close: () => new Promise((done) => child.once('exit', done).kill()),
      });
    });
  });
}

/** `--name value` from the command line, as a number when the fallback is one. */
export function argument(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = process.argv[index + 1];
  return typeof fallback === 'number' ? Number(value) : value;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The p-th percentile (0..100) by nearest rank. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const mb = (bytes) => bytes / 1024 / 1024;

/** Settles the heap as far as a benchmark can (run node with --expose-gc for this to do anything). */
export async function settle() {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Prints one scenario's table: each row a measure with its baseline, figure, ratio and goal, and a last
 * line saying whether every goal held. `rows`: { measure, baseline, figure, unit, ratio?, goal?, met? }
 * (ratio defaults to figure / baseline; `met` to ratio <= goal when a goal is given).
 */
export function report(title, rows, notes = []) {
  console.log(`\n${title}`);
  const cells = rows.map((row) => {
    const ratio = row.ratio ?? (row.baseline ? row.figure / row.baseline : undefined);
    const met = row.met ?? (row.goal !== undefined && ratio !== undefined ? ratio <= row.goal : undefined);
    return [
      row.measure,
      format(row.baseline, row.unit),
      format(row.figure, row.unit),
      ratio === undefined ? '' : ratio.toFixed(3),
      row.goalText ?? (row.goal === undefined ? '' : `<= ${row.goal}`),
      met === undefined ? '' : met ? 'met' : 'NOT met',
    ];
  });
  const header = ['measure', 'baseline', 'figure', 'ratio', 'goal', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => String(c[i]).length)));
  const line = (c) =>
    c.map((v, i) => (i === 0 ? String(v).padEnd(widths[i]) : String(v).padStart(widths[i]))).join('  ');
  console.log(line(header));
  for (const c of cells) console.log(line(c));
  for (const note of notes) console.log(`  ${note}`);
  return cells.every((c) => c[5] !== 'NOT met');
}

function format(value, unit) {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}
