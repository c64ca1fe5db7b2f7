/**
 * The package as npm would publish it: the built dist/ (npm test builds it first) packed into a tarball,
 * what the tarball holds and how big it is, and the tarball installed into a host project and used there
 * as ES module, as CommonJS and as a command.
 *
 * Offline: the host project gets the tarball's dependencies as links to this repository's node_modules,
 * so npm fetches nothing.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));

interface Packed {
  size: number;
  unpackedSize: number;
  entryCount: number;
  filename: string;
  files: { path: string; size: number }[];
}

let workDir: string;
let hostDir: string;
let packed: Packed;
let paths: string[];
let installOutput: string;
/** A file of the package as installed in the host project. */
const installed = (path: string) => readFileSync(join(hostDir, 'node_modules/okta-actions', path), 'utf8');

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'okta-actions-package-'));
  // --ignore-scripts: prepack would rebuild dist/ while other test files are loading it.
  const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', workDir], {
    cwd: root,
  });
  packed = (JSON.parse(stdout) as Packed[])[0] as Packed;
  paths = packed.files.map((file) => file.path).sort();
  const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
  console.log(
    `okta-actions tarball: ${kB(packed.size)} packed, ${kB(packed.unpackedSize)} unpacked, ${packed.entryCount} files`,
  );

  hostDir = join(workDir, 'host');
  const dependencies: Record<string, string> = { 'okta-actions': `file:${join(workDir, packed.filename)}` };
  for (const name of Object.keys(packageJson.dependencies)) {
    dependencies[name] = `file:${join(root, 'node_modules', name)}`;
  }
  mkdirSync(hostDir);
  writeFileSync(join(hostDir, 'package.json'), JSON.stringify({ name: 'host', private: true, dependencies }));
  const install = await run('npm', ['install', '--offline', '--no-audit', '--no-fund'], { cwd: hostDir });
  installOutput = `${install.stdout}${install.stderr}`;
}, 120_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** Every path package.json points at: exports, bin, main, module, types. */
function referencedPaths(): string[] {
  const found: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === 'string') found.push(value.replace(/^\.\//, ''));
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk([packageJson.exports, packageJson.bin, packageJson.main, packageJson.module, packageJson.types]);
  return [...new Set(found)];
}

describe('the tarball', () => {
  it('holds every file package.json points at', () => {
    expect(referencedPaths().filter((path) => !paths.includes(path))).toEqual([]);
    expect(paths).toContain('README.md');
  });

  it('holds no build-time or test-time files: no Okta YAMLs, schemas, sources, tests or source maps', () => {
    const typeScriptSource = (path: string) => /\.[cm]?ts$/.test(path) && !/\.d\.[cm]?ts$/.test(path);
    const unwanted = paths.filter(
      (path) =>
        /\.(ya?ml|map)$/.test(path) ||
        typeScriptSource(path) ||
        /^(src|test|bench|scripts|actions)\//.test(path) ||
        // Okta's notice for the trimmed copy of its API description that the sandbox bundle carries.
        (path.startsWith('schemas/') && path !== 'schemas/okta/NOTICE.md'),
    );
    expect(unwanted).toEqual([]);
  });

  it('has no script npm would run when a host installs it', () => {
    const scripts = JSON.parse(installed('package.json')).scripts ?? {};
    expect(Object.keys(scripts).filter((name) => /^(pre|post)?(install|prepare)$/.test(name))).toEqual([]);
    // npm 11 names such scripts in an install-scripts warning (it did for `prepare: tsup`).
    expect(installOutput).not.toContain('okta-actions@');
  });

  it('carries the manifest once, as manifest.json', () => {
    // A run of plain words from each action's description reads the same in JSON and in a JavaScript string.
    const probes = manifest.actions.map(
      (action: { description: string }) =>
        /[A-Za-z ,.]{40,}/.exec(action.description)?.[0] ?? action.description,
    );
    const carriers = paths.filter((path) => {
      if (path === 'README.md') return false; // its action table quotes the descriptions
      const text = installed(path);
      return probes.some((probe: string) => text.includes(probe));
    });
    expect(carriers).toEqual(['manifest.json']);
  });

  it('names no source map in its code', () => {
    const code = paths.filter((path) => /\.c?js$/.test(path));
    expect(code.length).toBeGreaterThan(0);
    expect(code.filter((path) => installed(path).includes('sourceMappingURL'))).toEqual([]);
  });
});

describe('the tarball installed in a host project', () => {
  // update-user loads the SDK, from where the package is installed; get-user reads JSON.
  const probe = (load: string) => `(async () => {
    const plugin = await ${load};
    const { startSandbox } = require('okta-actions/sandbox');
    const sandbox = await startSandbox();
    const connection = { type: 'api_token', apiAddress: sandbox.url, apiToken: sandbox.token };
    const host = { allowLoopback: true };
    const read = await plugin.execute('get-user', { connection, input: { user: 'jane.doe@example.com' } }, host);
    const update = await plugin.execute('update-user', { connection, input: { user: 'jane.doe@example.com', profile: { title: 'Controller' } } }, host);
    await sandbox.close();
    console.log(JSON.stringify({ actions: plugin.manifest.actions.length, manifestJson: require('okta-actions/manifest.json').actions.length,
      read: read.ok || read.error.message, update: update.ok || update.error.message }));
  })()`;

  it.each([
    ['an ES module', "import('okta-actions')"],
    ['CommonJS', "require('okta-actions')"],
  ])(
    'works when loaded as %s',
    async (_kind, load) => {
      const { stdout } = await run(process.execPath, ['-e', probe(load)], { cwd: hostDir });
      const count = manifest.actions.length;
      expect(JSON.parse(stdout)).toEqual({ actions: count, manifestJson: count, read: true, update: true });
    },
    60_000,
  );

  it.each([
    ['an ES module', "import('okta-actions/bullmq')"],
    ['CommonJS', "require('okta-actions/bullmq')"],
  ])(
    'its bullmq entry loads as %s without bullmq or redis, optional peers npm did not install',
    async (_kind, load) => {
      const source = `(async () => {
        const workers = await ${load};
        const read = workers.readActionJobError('{"code":"CONFLICT","message":"taken","retryable":false}');
        const worker = await workers.createActionWorker('q', { connection: {}, resolveConnection: () => undefined })
          .then(() => 'created', (error) => error.message);
        console.log(JSON.stringify({ read: read.code, worker }));
      })()`;
      const { stdout } = await run(process.execPath, ['-e', source], { cwd: hostDir });
      expect(JSON.parse(stdout)).toEqual({
        read: 'CONFLICT',
        worker: expect.stringContaining('okta-actions/bullmq needs the bullmq package'),
      });
      const peers = JSON.parse(installed('package.json')).peerDependenciesMeta;
      expect(peers).toEqual({ bullmq: { optional: true }, redis: { optional: true } });
    },
    60_000,
  );

  it('runs its command through the bin link npm made', async () => {
    const { stdout } = await run(join(hostDir, 'node_modules/.bin/okta-actions'), ['actions'], {
      cwd: hostDir,
    });
    expect(stdout).toContain('update-user');
  });
});
