import { defineConfig } from 'tsup';

// Dependencies (the Okta SDK above all) stay external, as tsup does by default: a bundled SDK is ~10 MB
// and breaks at run time. They are loaded with import() on first use, so importing the plugin does not
// load them. One configuration for both entries, so that cleaning dist/ cannot race another build.
// manifest.json is not bundled either: both builds read the one at the package root (src/manifest.ts).
export default defineConfig({
  entry: { index: 'src/index.ts', sandbox: 'src/sandbox/index.ts', cli: 'src/cli/main.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', sandbox: 'src/sandbox/index.ts' } },
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  // The runtime is a chunk of its own, imported on first use (src/index.ts); the entry only reads the manifest.
  splitting: true,
  treeshake: true,
  clean: true,
});
