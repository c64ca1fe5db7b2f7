/** Types of scripts/lookups.mjs, for the tests that hold the generator's x-lookup checks to broken lookups. */
import type { Ajv } from 'ajv';

export function checkLookups(catalog: {
  actions: ReadonlyArray<Record<string, unknown>>;
  contracts: ReadonlyArray<Record<string, unknown>>;
  shared: Record<string, unknown>;
  ajv: Ajv;
}): string[];
