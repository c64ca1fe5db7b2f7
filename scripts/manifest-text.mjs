/**
 * manifest.json as text: its top level indented, each connection type, action and trigger on a line of its
 * own. Every import of the plugin reads and parses this file (src/manifest/manifest.ts); indented
 * throughout it was 1.27 MB, 44% of it indentation, and reading it took ~14 ms of the ~40 ms an import costs
 * (bench/cold-start.mjs). A change to one action still shows as a change to its one line.
 */
export function manifestText(manifest) {
  const lines = (items) => items.map((item) => `    ${JSON.stringify(item)}`).join(',\n');
  const entries = Object.entries(manifest).map(([key, value]) => {
    const name = JSON.stringify(key);
    if (Array.isArray(value)) return `  ${name}: [\n${lines(value)}\n  ]`;
    if (key === 'connections') {
      const types = Object.entries(value).map(
        ([type, schema]) => `    ${JSON.stringify(type)}: ${JSON.stringify(schema)}`,
      );
      return `  ${name}: {\n${types.join(',\n')}\n  }`;
    }
    return `  ${name}: ${JSON.stringify(value)}`;
  });
  return `{\n${entries.join(',\n')}\n}\n`;
}
