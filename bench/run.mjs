#!/usr/bin/env node
/**
 * npm run bench [-- <name> ...]: the six performance scenarios of issue 7, one after the other, each in
 * its own process (so none measures another's leftovers); or the named benchmarks of this folder, which
 * also holds the longer drills (fault-drill, soak: npm run drill, npm run soak) and the sandbox's own
 * scale benchmark (sandbox). bench/RESULTS.md records a run.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from './lib.mjs';

const SCENARIOS = ['cold-start', 'warm-overhead', 'bulk-rate-limit', 'large-lists', 'memory', 'tenants'];
/** Modules the benchmarks share, not benchmarks. */
const NOT_BENCHMARKS = new Set(['run', 'lib', 'fault-kinds']);

const here = dirname(fileURLToPath(import.meta.url));
const all = readdirSync(here)
  .filter((file) => file.endsWith('.mjs'))
  .map((file) => file.replace(/\.mjs$/, ''))
  .filter((name) => !NOT_BENCHMARKS.has(name))
  .sort();
const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = wanted.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  console.error(`No benchmark named ${unknown.join(', ')}; there are: ${all.join(', ')}`);
  process.exit(2);
}
ensureBuilt();
const started = Date.now();
console.log(`Node ${process.version}, ${new Date().toISOString()}`);
for (const name of wanted.length > 0 ? wanted : SCENARIOS) {
  console.log(`\n=== bench/${name}.mjs`);
  spawnSync(process.execPath, [join(here, `${name}.mjs`)], { stdio: 'inherit' });
}
console.log(`\nAll done in ${Math.round((Date.now() - started) / 1000)} s.`);
