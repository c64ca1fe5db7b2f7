#!/usr/bin/env node
/**
 * npm test: every check CI relies on, in one command.
 *
 *   generated files fresh   node scripts/generate.mjs --check
 *   type-check              tsc --noEmit (strict)
 *   lint and format         biome check .
 *   build                   tsup (the smoke test loads dist/ as ESM and CJS), and the playground page
 *                           (scripts/build-playground.mjs: React and RJSF bundled into dist/playground/)
 *   layers                  dependency-cruiser: each folder of src/ imports only from the ones below it
 *                           (.dependency-cruiser.cjs, docs/ARCHITECTURE.md), and no module reaches itself
 *   sizes                   no source file over 500 lines, no function over 80 (scripts/check-structure.mjs)
 *   tests                   vitest run
 *   every action executed   a full run only: each action returned an output against the sandbox and
 *                           against nock (and a dry run, for one that changes Okta), as recorded by
 *                           test/setup.ts, not as its key merely appears in a test file
 *
 * It ends with one line "N passed, N failed[, N skipped]": vitest's test counts, plus one failure per
 * test file that failed outside its tests (a beforeAll or afterAll that threw), plus each check above as
 * one item (scripts/test-report.mjs). The exit code is vitest's, or 1 when anything else failed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countResults, missingExecutions, readExecutions } from './test-report.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const report = join(root, '.vitest-report.json');
/** Arguments narrow the run to some files or tests; then the catalog-wide execution check does not apply. */
const filtered = process.argv.length > 2;

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
  ['type-check the playground page', bin('tsc'), ['--noEmit', '-p', 'src/playground/page/tsconfig.json']],
  ['lint and format', bin('biome'), ['check', '.']],
  ['build', bin('tsup'), []],
  ['build the playground page', process.execPath, [join(root, 'scripts/build-playground.mjs')]],
  [
    'layers',
    bin('depcruise'),
    ['src', 'actions', '--config', '.dependency-cruiser.cjs', '--output-type', 'err-long'],
  ],
  ['sizes', process.execPath, [join(root, 'scripts/check-structure.mjs')]],
].map(([name, command, args]) => ({ name, ok: step(name, command, args) }));

rmSync(report, { force: true });
const executions = mkdtempSync(join(tmpdir(), 'okta-actions-executions-'));
const vitest = spawnSync(
  bin('vitest'),
  ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...(filtered ? {} : { OKTA_ACTIONS_TEST_EXECUTIONS_DIR: executions }) },
  },
);

const counts = countResults(
  existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : undefined,
  vitest.status ?? 1,
);
for (const note of counts.notes) console.log(`counted as failed: ${note}`);

if (!filtered) {
  const { actions } = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
  const missing = missingExecutions(actions, readExecutions(executions));
  console.log(
    `\n== every action executed: ${missing.length === 0 ? `ok (${actions.length} actions)` : `FAILED\n  ${missing.join('\n  ')}`}`,
  );
  checks.push({ name: 'every action executed', ok: missing.length === 0 });
}
rmSync(executions, { recursive: true, force: true });

const passed = counts.passed + checks.filter((c) => c.ok).length;
const failed = counts.failed + checks.filter((c) => !c.ok).length;
const failedChecks = checks.filter((c) => !c.ok).map((c) => c.name);
if (failedChecks.length > 0) console.log(`\nFailed checks: ${failedChecks.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`);
process.exitCode = vitest.status !== 0 ? (vitest.status ?? 1) : failed > 0 ? 1 : 0;
