#!/usr/bin/env node
/**
 * Sandbox scale: seeding 100,000 users, listing all of them page by page, and 200 concurrent clients.
 * The listing is compared with a floor measured in the same run: a bare Node HTTP server answering the
 * same pages pre-serialized (no state, no search, no checks), so the ratio is the sandbox's own cost.
 * Medians of several runs, interleaved. A benchmark, not a test: it never fails the build.
 *
 *   node bench/sandbox.mjs [--users 100000] [--runs 3]
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const USERS = argument('users', 100_000);
const RUNS = argument('runs', 3);
const PAGE = 200;

if (!existsSync(join(root, 'dist/sandbox.js'))) {
  console.log('dist/ is missing; building it first (npm run build)');
  execFileSync(join(root, 'node_modules/.bin/tsup'), { cwd: root, stdio: 'inherit' });
}
const { startSandbox } = await import(join(root, 'dist/sandbox.js'));

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const nextLink = (response) => /<([^>]+)>; rel="next"/.exec(response.headers.get('link') ?? '')?.[1];

async function listAll(firstUrl, headers) {
  const started = performance.now();
  let count = 0;
  let next = firstUrl;
  while (next) {
    const response = await fetch(next, { headers });
    count += (await response.json()).length;
    next = nextLink(response);
  }
  return { count, seconds: (performance.now() - started) / 1000 };
}

/** The floor: the same pages, already serialized, from a server that does nothing else. */
async function startFloor(pages) {
  const server = createServer((req, res) => {
    const index = Number(new URL(req.url, 'http://x').searchParams.get('page') ?? 0);
    const headers = { 'content-type': 'application/json' };
    if (index + 1 < pages.length)
      headers.link = `<http://127.0.0.1:${server.address().port}/users?page=${index + 1}>; rel="next"`;
    res.writeHead(200, headers);
    res.end(pages[index]);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/users?page=0`,
    close: () => new Promise((r) => server.close(r)),
  };
}

const seedSeconds = [];
const sandboxRates = [];
const floorRates = [];
const concurrent = [];
let listed = 0;
for (let run = 0; run < RUNS; run++) {
  let started = performance.now();
  // Budgets out of the way: this measures serving, not rate limiting.
  const sandbox = await startSandbox({ seed: USERS, maxConcurrent: 250, rateLimit: 1_000_000 });
  seedSeconds.push((performance.now() - started) / 1000);
  const headers = { authorization: `SSWS ${sandbox.token}` };

  // Same bytes for the floor: the sandbox's own pages, captured once.
  const pages = [];
  for (let next = `${sandbox.url}/api/v1/users?limit=${PAGE}`; next; ) {
    const response = await fetch(next, { headers });
    pages.push(await response.text());
    next = nextLink(response);
  }
  const floor = await startFloor(pages);
  const floorRun = await listAll(floor.url, {});
  floorRates.push(floorRun.count / floorRun.seconds);
  await floor.close();

  const sandboxRun = await listAll(`${sandbox.url}/api/v1/users?limit=${PAGE}`, headers);
  sandboxRates.push(sandboxRun.count / sandboxRun.seconds);
  listed = sandboxRun.count;

  started = performance.now();
  let errors = 0;
  await Promise.all(
    Array.from({ length: 200 }, async () => {
      for (let i = 0; i < 10; i++) {
        const response = await fetch(`${sandbox.url}/api/v1/users/me`, { headers });
        if (response.status !== 200) errors += 1;
        await response.arrayBuffer();
      }
    }),
  );
  concurrent.push({ rate: 2000 / ((performance.now() - started) / 1000), errors });
  if (sandbox.contractViolations.length > 0)
    console.log('contract violations:', sandbox.contractViolations.slice(0, 3));
  await sandbox.close();
}

const sandboxRate = median(sandboxRates);
const floorRate = median(floorRates);
console.log(`Sandbox scale, median of ${RUNS} runs, Node ${process.version}\n`);
console.log(
  `seed ${USERS.toLocaleString('en')} users (start + seed):       ${median(seedSeconds).toFixed(2)} s`,
);
console.log(`list all ${listed.toLocaleString('en')} users, ${PAGE} per page:`);
console.log(`  floor (bare server, same pages):       ${Math.round(floorRate).toLocaleString('en')} users/s`);
console.log(
  `  sandbox (search, paging, checks):      ${Math.round(sandboxRate).toLocaleString('en')} users/s   ratio ${(sandboxRate / floorRate).toFixed(2)}`,
);
const worst = concurrent.reduce((a, b) => (a.errors > b.errors ? a : b));
console.log(
  `200 concurrent clients x 10 GET /users/me: ${Math.round(median(concurrent.map((c) => c.rate))).toLocaleString('en')} requests/s, ${worst.errors} errors (worst run)`,
);
