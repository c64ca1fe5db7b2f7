#!/usr/bin/env node
/**
 * npm test: every check CI relies on, in one command.
 *
 *   generated files fresh   node scripts/generate.mjs --check
 *   type-check              tsc --noEmit (strict)
 *   lint and format         biome check .
 *   build                   tsup (the smoke test loads dist/ as ESM and CJS)
 *   tests                   vitest run
 *
 * It ends with one line "N passed, N failed[, N skipped]": vitest's test counts plus each of the four
 * checks above as one item. The exit code is vitest's, or 1 when a check failed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const report = join(root, '.vitest-report.json');

function step(name, command, args) {
  console.log(`\n== ${name}: ${[command, ...args].map((a) => a.replace(root, '.')).join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  const ok = result.status === 0;
  console.log(`== ${name}: ${ok ? 'ok' : `FAILED (exit ${result.status ?? result.signal})`}`);
  return ok;
}

const checks = [
  ['generated files fresh', process.execPath, [join(root, 'scripts/generate.mjs'), '--check']],
  ['type-check', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']],
  ['lint and format', bin('biome'), ['check', '.']],
  ['build', bin('tsup'), []],
].map(([name, command, args]) => ({ name, ok: step(name, command, args) }));

rmSync(report, { force: true });
const vitest = spawnSync(
  bin('vitest'),
  ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const counts = JSON.parse(readFileSync(report, 'utf8'));
  passed = counts.numPassedTests;
  failed = counts.numFailedTests;
  skipped = counts.numPendingTests + counts.numTodoTests;
  // A test file that fails to load has no tests to count; count it as a failure.
  failed += counts.testResults.filter(
    (file) => file.status === 'failed' && file.assertionResults.length === 0,
  ).length;
} else {
  failed += 1;
  console.log('vitest wrote no report: counting the test run as failed');
}
for (const check of checks) {
  if (check.ok) passed += 1;
  else failed += 1;
}
const failedChecks = checks.filter((c) => !c.ok).map((c) => c.name);
if (failedChecks.length > 0) console.log(`\nFailed checks: ${failedChecks.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = vitest.status !== 0 ? (vitest.status ?? 1) : failedChecks.length > 0 ? 1 : 0;
