/**
 * The values of an input's secret fields (marked `x-secret` in the action's input schema: passwords, a
 * hook's authorization value), so the final redaction removes them from errors as it removes the
 * connection's token: an upstream message that quoted one back must not carry it out.
 */
type Schema = {
  'x-secret'?: boolean;
  $ref?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  definitions?: Record<string, Schema>;
};

export function inputSecrets(schema: object, input: unknown): string[] {
  if (!marksSecrets(schema)) return [];
  const root = schema as Schema;
  const found: string[] = [];
  const visit = (node: Schema | boolean | undefined, value: unknown, depth: number): void => {
    if (typeof node !== 'object' || value === undefined || depth > 32) return;
    const resolved = node.$ref ? resolveLocal(root, node.$ref) : node;
    if (!resolved) return;
    if (resolved['x-secret'] && typeof value === 'string') found.push(value);
    for (const branch of [...(resolved.oneOf ?? []), ...(resolved.anyOf ?? []), ...(resolved.allOf ?? [])])
      visit(branch, value, depth + 1);
    if (Array.isArray(value)) {
      for (const item of value) visit(resolved.items, item, depth + 1);
    } else if (value !== null && typeof value === 'object') {
      for (const [name, item] of Object.entries(value)) {
        visit(resolved.properties?.[name] ?? resolved.additionalProperties, item, depth + 1);
      }
    }
  };
  try {
    visit(root, input, 0);
  } catch {
    // An input whose fields cannot be read; the input check refuses it as not plain JSON.
  }
  return found;
}

/** `#/definitions/name` within the same schema (the manifest's input schemas carry their definitions). */
function resolveLocal(root: Schema, ref: string): Schema | undefined {
  const name = /^#\/definitions\/([^/]+)$/.exec(ref)?.[1];
  return name ? root.definitions?.[name] : undefined;
}

const marking = new WeakMap<object, boolean>();

/** Whether a schema marks any field secret: most do not, and their inputs need no walk on every run. */
function marksSecrets(schema: object): boolean {
  let marks = marking.get(schema);
  if (marks === undefined) {
    marks = JSON.stringify(schema).includes('"x-secret":true');
    marking.set(schema, marks);
  }
  return marks;
}
