import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { handlers } from '../src/generated/handlers.js';
import { manifest } from '../src/index.js';
import { loadValidators, newAjv } from '../src/schema/validation.js';
import { oktaApiDescription } from './helpers/openapi.js';

const manifestSchema = JSON.parse(
  readFileSync(new URL('../schemas/manifest.schema.json', import.meta.url), 'utf8'),
);

// Titles hosts match on (CATALOG.md; [S1] titles are exact across StackOne-style hosts).
const CATALOG_TITLES: Record<string, string> = {
  'get-user': 'Get User',
  'list-users': 'List Users',
  'create-user': 'Create User',
  'update-user': 'Update User',
  'deactivate-user': 'Deactivate User',
  'delete-user': 'Delete User',
  'list-groups': 'List Groups',
  'get-group': 'Get Group',
  'add-user-to-group': 'Add User To Group',
  'remove-user-from-group': 'Remove User From Group',
  'list-group-members': 'List Group Members',
  'list-devices': 'List Devices',
  'deactivate-device': 'Deactivate Device',
};

describe('manifest.json', () => {
  it('matches its own format (schemas/manifest.schema.json)', async () => {
    const ajv = await newAjv({ useDefaults: false });
    const validate = ajv.compile(manifestSchema);
    expect(validate(manifest), ajv.errorsText(validate.errors)).toBe(true);
  });

  it('has a handler for every action and an action for every handler', () => {
    expect(Object.keys(handlers).sort()).toEqual(manifest.actions.map((a) => a.key).sort());
  });

  it('carries the catalog titles', () => {
    for (const [key, title] of Object.entries(CATALOG_TITLES)) {
      expect(manifest.actions.find((a) => a.key === key)?.title, key).toBe(title);
    }
  });

  it('every schema is self-contained: references point only into its own definitions', () => {
    const schemas = [
      ...manifest.actions.flatMap((a) => [a.input, a.output]),
      ...manifest.triggers.flatMap((t) => [t.input, t.output]),
      ...Object.values(manifest.connections).map((c) => c.schema),
    ];
    for (const schema of schemas) {
      const refs = JSON.stringify(schema).match(/"\$ref":"[^"]*"/g) ?? [];
      for (const ref of refs) {
        const name = /"#\/definitions\/([^"]+)"/.exec(ref)?.[1];
        expect(
          name && (schema.definitions as Record<string, unknown>)[name],
          `${ref} in ${schema.title}`,
        ).toBeTruthy();
      }
      expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    }
  });

  it('every example is a valid input (examples are tests)', async () => {
    const validators = await loadValidators();
    for (const action of manifest.actions) {
      for (const example of action.examples) {
        const { problems } = validators.checkInput(action.key, action.input, example.input);
        expect(problems, `${action.key}: ${example.title}`).toEqual([]);
      }
    }
  });

  it('checks date-times on the calendar in inputs, by pattern in outputs (Okta writes them)', async () => {
    const validators = await loadValidators();
    const dated = {
      type: 'object',
      properties: { at: { type: 'string', format: 'date-time' } },
      additionalProperties: false,
    };
    const okta = { at: '2013-06-24T16:39:18.000Z' };
    const notOnTheCalendar = { at: '2021-02-30T16:39:18.000Z' };
    const notADate = { at: 'yesterday' };
    expect(validators.checkInput('test:dated', dated, okta).problems).toEqual([]);
    expect(validators.checkInput('test:dated', dated, notOnTheCalendar).problems).toHaveLength(1);
    expect(validators.checkOutput('test:dated', dated, okta)).toEqual([]);
    expect(validators.checkOutput('test:dated', dated, notOnTheCalendar)).toEqual([]);
    expect(validators.checkOutput('test:dated', dated, notADate)).toHaveLength(1);
  });

  it('every input field is ready for a form: a title and a description', () => {
    for (const action of manifest.actions) {
      const definitions = (action.input.definitions ?? {}) as Record<
        string,
        { title?: string; description?: string }
      >;
      for (const [name, field] of Object.entries(
        action.input.properties as Record<string, { $ref?: string; title?: string; description?: string }>,
      )) {
        const resolved = field.$ref ? definitions[field.$ref.replace('#/definitions/', '')] : field;
        expect(resolved?.title, `${action.key}.${name}`).toBeTruthy();
        expect(resolved?.description, `${action.key}.${name}`).toBeTruthy();
      }
      expect(action.input.additionalProperties, action.key).toBe(false);
    }
  });

  it('every output field a builder can map has a title, at every depth (actions and triggers)', () => {
    const untitled: string[] = [];
    for (const { key, output } of [...manifest.actions, ...manifest.triggers])
      untitled.push(...untitledFields(output, `${key}:`));
    expect(untitled).toEqual([]);
  });

  it('annotations are consistent: read-only actions neither destroy nor report changes', () => {
    for (const action of manifest.actions) {
      const output = action.output as { required?: string[] };
      if (action.annotations.readOnly) {
        expect(action.annotations.destructive, action.key).toBe(false);
        expect(action.annotations.idempotent, action.key).toBe(true);
      } else {
        expect(output.required, action.key).toContain('changed');
      }
      if ((action.input.properties as Record<string, unknown>).maxItems)
        expect(output.required, action.key).toContain('nextCursor');
    }
  });

  it("every operation exists in Okta's API description and the declared scopes cover what it requires", () => {
    const description = oktaApiDescription();
    for (const action of manifest.actions) {
      // A page about one operation must be about one the action calls; a few actions (call-okta-api,
      // offboard-user) span many operations and link an overview instead.
      const linked = /\/operation\/(\w+)$/.exec(action.docsUrl)?.[1];
      if (linked) expect(action.operations, action.key).toContain(linked);
      else expect(['call-okta-api', 'offboard-user', 'get-user-info'], action.key).toContain(action.key);
      if (action.operations.length === 0)
        expect(['call-okta-api', 'get-user-info'], action.key).toContain(action.key);
      for (const operationId of action.operations) {
        expect(description.operationById(operationId), `${action.key}: ${operationId}`).toBeDefined();
        for (const scope of description.scopesOf(operationId)) {
          // A .manage scope includes the matching .read scope.
          const covered =
            action.scopes.includes(scope) || action.scopes.includes(scope.replace(/\.read$/, '.manage'));
          expect(covered, `${action.key} needs ${scope} for ${operationId}`).toBe(true);
        }
      }
      // A read-only action asks for read scopes only (OpenID Connect's own scopes are reads too).
      const readScope = (scope: string) =>
        scope.endsWith('.read') || ['openid', 'profile', 'email'].includes(scope);
      if (action.annotations.readOnly) expect(action.scopes.every(readScope), action.key).toBe(true);
    }
  });
});

type SchemaNode = {
  $ref?: string;
  title?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  allOf?: SchemaNode[];
  definitions?: Record<string, SchemaNode>;
};

/**
 * The paths of the properties without a title (their own, or the one of the definition their $ref names),
 * through nested objects, list items, oneOf/anyOf/allOf and $refs (each definition walked once per path).
 */
function untitledFields(root: Record<string, unknown>, at: string): string[] {
  const schema = root as SchemaNode;
  const found: string[] = [];
  const definition = (ref: string) => schema.definitions?.[ref.replace('#/definitions/', '')];
  const walk = (node: SchemaNode | undefined, path: string, seen: string[]): void => {
    if (!node || typeof node !== 'object') return;
    if (node.$ref) {
      if (seen.includes(node.$ref)) return;
      walk(definition(node.$ref), path, [...seen, node.$ref]);
    }
    for (const branch of [...(node.oneOf ?? []), ...(node.anyOf ?? []), ...(node.allOf ?? [])])
      walk(branch, path, seen);
    walk(node.items, `${path}[]`, seen);
    for (const [name, property] of Object.entries(node.properties ?? {})) {
      const title = property.title ?? (property.$ref ? definition(property.$ref)?.title : undefined);
      if (!title) found.push(`${path}.${name}`);
      walk(property, `${path}.${name}`, seen);
    }
  };
  walk(schema, at, []);
  return found;
}
