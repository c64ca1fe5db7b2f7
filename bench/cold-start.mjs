#!/usr/bin/env node
/**
 * Cold-load benchmark: what a host pays to import okta-actions and read its manifest, against what it
 * would pay to require the Okta SDK it wraps (the SDK loads lazily, on the first call that needs it).
 *
 * Each sample is a fresh Node process timing only its own import (process start-up excluded), and the two
 * kinds of sample alternate so that machine noise hits both alike. Prints the medians and their ratio.
 * Goal: ratio <= 0.05. A benchmark, not a test: it never fails the build.
 *
 *   node bench/load.mjs [--runs 9]
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 9;
const GOAL = 0.05;

if (!existsSync(join(root, 'dist/index.js'))) {
  console.log('dist/ is missing; building it first (npm run build)');
  execFileSync(join(root, 'node_modules/.bin/tsup'), { cwd: root, stdio: 'inherit' });
}

const pluginUrl = pathToFileURL(join(root, 'dist/index.js')).href;
const scenarios = {
  'okta-actions: import + read manifest (ESM)': `
    const t0 = performance.now();
    const { manifest } = await import(${JSON.stringify(pluginUrl)});
    const count = manifest.actions.length;
    console.log(performance.now() - t0, count);`,
  'okta-actions: require + read manifest (CJS)': `
    const t0 = performance.now();
    const { manifest } = require(${JSON.stringify(join(root, 'dist/index.cjs'))});
    const count = manifest.actions.length;
    console.log(performance.now() - t0, count);`,
  'baseline: require @okta/okta-sdk-nodejs': `
    const t0 = performance.now();
    const okta = require('@okta/okta-sdk-nodejs');
    console.log(performance.now() - t0, typeof okta.Client);`,
};

function sample(name) {
  const esm = name.includes('(ESM)');
  const out = execFileSync(
    process.execPath,
    [...(esm ? ['--input-type=module'] : []), '-e', scenarios[name]],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  return Number(out.trim().split(' ')[0]);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const samples = Object.fromEntries(Object.keys(scenarios).map((name) => [name, []]));
for (let i = 0; i < runs; i++) {
  for (const name of Object.keys(scenarios)) samples[name].push(sample(name));
}

const baselineName = 'baseline: require @okta/okta-sdk-nodejs';
const baseline = median(samples[baselineName]);
console.log(`Cold load, median of ${runs} fresh processes each (interleaved), Node ${process.version}\n`);
console.log(
  `${'scenario'.padEnd(46)} ${'median ms'.padStart(10)} ${'min..max ms'.padStart(16)} ${'ratio'.padStart(7)}`,
);
for (const [name, values] of Object.entries(samples)) {
  const m = median(values);
  const range = `${Math.min(...values).toFixed(1)}..${Math.max(...values).toFixed(1)}`;
  const ratio = name === baselineName ? '1' : (m / baseline).toFixed(3);
  console.log(`${name.padEnd(46)} ${m.toFixed(1).padStart(10)} ${range.padStart(16)} ${ratio.padStart(7)}`);
}
const worst = Math.max(
  ...Object.keys(samples)
    .filter((n) => n !== baselineName)
    .map((n) => median(samples[n]) / baseline),
);
console.log(`\nGoal: ratio <= ${GOAL}. ${worst <= GOAL ? 'Met' : 'NOT met'} (worst ${worst.toFixed(3)}).`);
