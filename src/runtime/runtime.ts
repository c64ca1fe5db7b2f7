/**
 * What the package entry (src/index.ts) loads on first use: everything that runs actions. Kept out of the
 * entry so that importing okta-actions and reading its manifest compiles none of it.
 */
export { execute } from './execute.js';
export { inputSchema } from './input-schema.js';
export { lookup } from './lookup.js';
export { stream } from './stream.js';
export { testConnection } from './test-connection.js';
