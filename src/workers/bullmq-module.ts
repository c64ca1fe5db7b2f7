/**
 * bullmq, loaded on first use: it is an optional peer dependency, so `import 'okta-actions/bullmq'` must
 * not need it (a producer that only reads job errors, a host that has not installed it yet), and it costs
 * nothing to a host that never processes a job. A worker process has it loaded already.
 */
type BullMq = typeof import('bullmq');

let loading: Promise<BullMq> | undefined;

export function loadBullMq(): Promise<BullMq> {
  loading ??= import('bullmq').catch((error: unknown) => {
    loading = undefined;
    throw new Error(
      `okta-actions/bullmq needs the bullmq package, which is not installed here (npm install bullmq redis): ${(error as Error).message}`,
    );
  });
  return loading;
}
