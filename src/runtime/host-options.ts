/**
 * The host options as JSON Schema (README.md, "Host options", says the same in prose). A leaf module of
 * data: npm run gen compiles it ahead of time with the manifest's schemas (scripts/validators.mjs), and
 * src/runtime/host-call.ts checks the options against it.
 */

/** The longest a Node.js timer can wait; a longer one fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

const milliseconds = (minimum: number, description: string) => ({
  type: 'integer',
  minimum,
  maximum: MAX_TIMER_MS,
  description,
});

export const HOST_OPTIONS_SCHEMA = {
  type: 'object',
  properties: {
    allowLoopback: { type: 'boolean' },
    requestTimeoutMs: milliseconds(1, 'longest wait for one answer'),
    actionTimeoutMs: milliseconds(1, 'deadline of a whole run'),
    maxWaitMs: milliseconds(0, 'longest wait for rate limits, in all'),
    maxRetries: { type: 'integer', minimum: 0, maximum: 10 },
    // Okta's own limit is about 75 requests in flight per org; far beyond it only earns 429s.
    maxConcurrency: { type: 'integer', minimum: 1, maximum: 1000 },
    maxApiCapacity: { type: 'number', exclusiveMinimum: 0, maximum: 100 },
  },
  additionalProperties: false,
} as const;

/** The key its check is compiled and kept under (src/schema/validation.ts, validators/index.json). */
export const HOST_OPTIONS_SCHEMA_KEY = 'host-options';
