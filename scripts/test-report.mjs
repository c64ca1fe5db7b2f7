/**
 * What scripts/test.mjs concludes from a vitest run, kept apart so tests can hold it to real vitest
 * reports (test/test-runner.test.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The counts of a vitest JSON report. A test file can fail without a failed test: its beforeAll or
 * afterAll threw (its tests are then skipped or passed), or it did not load. Each such file counts as
 * one failure; so does a run whose exit code says it failed when nothing else was counted (an error
 * outside every file, a report that does not add up). A failed run never prints "0 failed".
 */
export function countResults(report, exitCode) {
  if (!report) return { passed: 0, failed: 1, skipped: 0, notes: ['vitest wrote no report'] };
  const notes = [];
  let failed = report.numFailedTests;
  for (const file of report.testResults) {
    const failedTests = file.assertionResults.filter((test) => test.status === 'failed').length;
    if (file.status === 'failed' && failedTests === 0) {
      failed += 1;
      notes.push(`${file.name}: failed outside its tests (${firstLine(file.message) || 'no message'})`);
    }
  }
  if (exitCode !== 0 && failed === 0) {
    failed = 1;
    notes.push(
      `vitest exited with ${exitCode} while no test or file failed (an error outside the test files)`,
    );
  }
  return {
    passed: report.numPassedTests,
    failed,
    skipped: report.numPendingTests + report.numTodoTests,
    notes,
  };
}

function firstLine(text) {
  return String(text ?? '')
    .split('\n')[0]
    .slice(0, 200);
}

/** Every record test/helpers/executions.ts wrote in `dir`. */
export function readExecutions(dir) {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n').filter(Boolean))
    .map((line) => JSON.parse(line));
}

/**
 * What each action lacks of what the tests must show: a real run that returned an output against the
 * sandbox and one against nock, and for an action that changes Okta, a dry run against the sandbox.
 */
export function missingExecutions(actions, records) {
  const seen = new Set(records.map((r) => `${r.key} ${r.target} ${r.dryRun ? 'dry' : 'real'}`));
  return actions.flatMap((action) => {
    const needs = [
      ['sandbox', 'real'],
      ['nock', 'real'],
      ...(action.annotations.readOnly ? [] : [['sandbox', 'dry']]),
    ];
    return needs
      .filter(([target, kind]) => !seen.has(`${action.key} ${target} ${kind}`))
      .map(
        ([target, kind]) =>
          `${action.key}: no ${kind === 'dry' ? 'dry run' : 'run'} against ${target === 'sandbox' ? 'the sandbox' : 'nock'} returned an output`,
      );
  });
}
