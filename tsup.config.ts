import { defineConfig } from 'tsup';

// Dependencies (the Okta SDK above all) stay external, as tsup does by default: a bundled SDK is ~10 MB
// and breaks at run time. They are loaded with import() on first use, so importing the plugin does not
// load them.
const common = {
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  splitting: false,
  treeshake: true,
} as const;

export default defineConfig([
  {
    ...common,
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
  },
  {
    // The command line is an ES module script (bin: dist/cli.js); it uses top-level await.
    ...common,
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
  },
]);
