/**
 * The counts npm test prints are the truth: held to real vitest reports of fixture files that fail
 * outside their tests (scripts/test-report.mjs), and the catalog-wide check of executed actions.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countResults, missingExecutions } from '../scripts/test-report.mjs';
import { manifest } from '../src/index.js';

const root = join(import.meta.dirname, '..');

describe('the counts of a run', () => {
  it('count a file whose beforeAll or afterAll threw as failed, though none of its tests failed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'runner-'));
    try {
      const reportFile = join(dir, 'report.json');
      const run = spawnSync(
        join(root, 'node_modules/.bin/vitest'),
        [
          'run',
          '--config',
          'test/fixtures/runner/vitest.config.ts',
          '--reporter=json',
          `--outputFile.json=${reportFile}`,
        ],
        { cwd: root, encoding: 'utf8' },
      );
      const report = JSON.parse(readFileSync(reportFile, 'utf8'));
      // What vitest's own counts say: nothing failed.
      expect(report.numFailedTests).toBe(0);
      expect(run.status).not.toBe(0);
      const counts = countResults(report, run.status ?? 1);
      expect(counts.failed).toBe(2);
      expect(counts.passed).toBe(2);
      expect(counts.notes.join('\n')).toMatch(/before-all-throws\.fixture\.ts: failed outside its tests/);
      expect(counts.notes.join('\n')).toMatch(/after-all-throws\.fixture\.ts: failed outside its tests/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('count a failed run as failed even when its report shows no failure', () => {
    const clean = {
      numFailedTests: 0,
      numPassedTests: 3,
      numPendingTests: 0,
      numTodoTests: 0,
      testResults: [],
    };
    expect(countResults(clean, 0).failed).toBe(0);
    expect(countResults(clean, 1)).toMatchObject({
      failed: 1,
      notes: [expect.stringContaining('exited with 1')],
    });
    expect(countResults(undefined, 0)).toMatchObject({ failed: 1, notes: ['vitest wrote no report'] });
  });
});

describe('the executed-actions check', () => {
  const everyRun = manifest.actions.flatMap((action) => [
    { key: action.key, dryRun: false, target: 'sandbox' },
    { key: action.key, dryRun: false, target: 'nock' },
    { key: action.key, dryRun: true, target: 'sandbox' },
  ]);

  it('passes when every action ran where it must', () => {
    expect(missingExecutions(manifest.actions, everyRun)).toEqual([]);
  });

  it('names an action that was never executed against the sandbox, whatever its files say', () => {
    const records = everyRun.filter((r) => !(r.key === 'get-user' && r.target === 'sandbox'));
    expect(missingExecutions(manifest.actions, records)).toEqual([
      'get-user: no run against the sandbox returned an output',
    ]);
  });

  it('asks a dry run of an action that changes Okta, not of a read', () => {
    const records = everyRun.filter((r) => !r.dryRun);
    const missing = missingExecutions(manifest.actions, records);
    expect(missing).toContain('create-user: no dry run against the sandbox returned an output');
    expect(missing.some((m) => m.startsWith('get-user:'))).toBe(false);
  });
});
