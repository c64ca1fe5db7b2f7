import { defineConfig } from 'tsup';

// Dependencies (the Okta SDK above all) stay external, as tsup does by default: a bundled SDK is ~10 MB
// and breaks at run time. They are loaded with import() on first use, so importing the plugin does not
// load them. One configuration for every entry, so that cleaning dist/ cannot race another build.
// manifest.json is not bundled either: both builds read the one at the package root (src/manifest/manifest.ts).
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    sandbox: 'src/sandbox/index.ts',
    triggers: 'src/triggers/index.ts',
    redis: 'src/workers/redis.ts',
    bullmq: 'src/workers/index.ts',
    cli: 'src/cli/main.ts',
  },
  format: ['esm', 'cjs'],
  dts: {
    entry: {
      index: 'src/index.ts',
      sandbox: 'src/sandbox/index.ts',
      triggers: 'src/triggers/index.ts',
      redis: 'src/workers/redis.ts',
      bullmq: 'src/workers/index.ts',
    },
  },
  target: 'node20',
  platform: 'node',
  // No source maps. Maps with their sources embedded were 4.4 MB of the 12.4 MB package; without sources
  // they would only turn positions in dist/ into positions in src/ files a host does not have. The
  // bundles are not minified, so a stack trace into dist/ reads as the code (names, structure) as it is.
  // (Turning maps back on with `treeshake` below gives each file two sourceMappingURL comments: rollup,
  // which tsup runs for tree shaking, writes one, and tsup adds its own.)
  sourcemap: false,
  // The runtime is a chunk of its own, imported on first use (src/index.ts); the entry only reads the manifest.
  splitting: true,
  treeshake: true,
  clean: true,
});
