import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';

/**
 * manifest.json (~600 KB) goes into the bundle as `JSON.parse("...")` rather than as the object literal
 * esbuild would write: V8 reads a JSON string several times faster than the same object as JavaScript,
 * and the manifest is most of what importing the plugin costs (bench/cold-start.mjs).
 */
const manifestAsJsonString: Plugin = {
  name: 'manifest-as-json-string',
  setup(build) {
    build.onLoad({ filter: /[\\/]manifest\.json$/ }, async (args) => ({
      contents: `export default JSON.parse(${JSON.stringify(await readFile(args.path, 'utf8'))});`,
      loader: 'js',
    }));
  },
};

// Dependencies (the Okta SDK above all) stay external, as tsup does by default: a bundled SDK is ~10 MB
// and breaks at run time. They are loaded with import() on first use, so importing the plugin does not
// load them. One configuration for both entries, so that cleaning dist/ cannot race another build.
export default defineConfig({
  entry: { index: 'src/index.ts', sandbox: 'src/sandbox/index.ts', cli: 'src/cli/main.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', sandbox: 'src/sandbox/index.ts' } },
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  // The runtime is a chunk of its own, imported on first use (src/index.ts); the entry holds the manifest.
  splitting: true,
  treeshake: true,
  clean: true,
  esbuildPlugins: [manifestAsJsonString],
});
