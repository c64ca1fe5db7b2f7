/** Types of scripts/test-report.mjs, for the tests that hold it to real vitest reports. */
export interface RunCounts {
  passed: number;
  failed: number;
  skipped: number;
  notes: string[];
}
export function countResults(report: unknown, exitCode: number): RunCounts;
export function readExecutions(dir: string): Array<{ key: string; dryRun: boolean; target: string }>;
export function missingExecutions(
  actions: ReadonlyArray<{ key: string; annotations: { readOnly: boolean } }>,
  records: ReadonlyArray<{ key: string; dryRun: boolean; target: string }>,
): string[];
