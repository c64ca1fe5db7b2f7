/**
 * Where this code runs from, as a file URL (what the Okta SDK, Ajv and the precompiled validators are
 * required from), and the package root (where manifest.json and validators/ are read from). A leaf at the
 * bottom of the layers (docs/ARCHITECTURE.md), so that every layer can find the package's files.
 *
 * Which build runs is decided when it is built, never by looking at globals: a host may define a global
 * `__filename` (`node -e` sets it to '[eval]'; REPLs, some test runners and bundlers set their own), which
 * an ES module sees in place of a location of its own (issue 12). So the ES module build reads only
 * `import.meta.url`, and the CommonJS build only the `__filename` of its own module wrapper: not
 * `import.meta.url`, which the CommonJS conversion (tsup's, through rollup) rewrites into a test of a global
 * `document`, and which would then point at a web page in a host that has one (jsdom).
 */
import { pathToFileURL, URL } from 'node:url';

/** Replaced with "cjs" or "esm" by tsup in each build; not defined when the source runs (vitest). */
declare const TSUP_FORMAT: 'cjs' | 'esm';

const built = typeof TSUP_FORMAT === 'string';
const builtAsCommonJs = built && TSUP_FORMAT === 'cjs';

export const moduleUrl: string = builtAsCommonJs ? pathToFileURL(__filename).href : import.meta.url;

/**
 * The package root: built, every file of the package's code sits directly in dist/, one folder down;
 * unbuilt (tests, scripts), this module is src/package/module-url.ts, two folders down.
 */
export const packageRootUrl: URL = new URL(built ? '../' : '../../', moduleUrl);
