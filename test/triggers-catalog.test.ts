/**
 * The trigger catalog (triggers/<key>/trigger.json, generated into manifest.triggers): the keys, the event
 * types, the schemas, and the examples, each checked against how a trigger takes its subjects from an event
 * and filters events, written out again here rather than imported from the generator.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  manifest,
  type TriggerContract,
  type TriggerFilter,
  type TriggerSubject,
} from '../src/manifest/manifest.js';
import { EVENT_HOOK_ELIGIBLE_TYPES } from '../src/sandbox/resources/event-hooks/model.js';
import { loadValidators, newAjv } from '../src/schema/validation.js';

const readSchema = (name: string) =>
  JSON.parse(readFileSync(new URL(`../schemas/${name}`, import.meta.url), 'utf8'));

/** The triggers the catalog must have, with their event types. */
const REQUIRED: Record<string, string[]> = {
  'user-created': ['user.lifecycle.create'],
  'user-activated': ['user.lifecycle.activate'],
  'user-deactivated': ['user.lifecycle.deactivate'],
  'user-suspended': ['user.lifecycle.suspend'],
  'user-unsuspended': ['user.lifecycle.unsuspend'],
  'user-deleted': ['user.lifecycle.delete.initiated'],
  'user-profile-updated': ['user.account.update_profile'],
  'user-password-reset': ['user.account.reset_password'],
  'user-locked-out': ['user.account.lock'],
  'user-added-to-group': ['group.user_membership.add'],
  'user-removed-from-group': ['group.user_membership.remove'],
  'user-assigned-to-app': ['application.user_membership.add'],
  'user-unassigned-from-app': ['application.user_membership.remove'],
  'device-deactivated': ['device.lifecycle.deactivate'],
  'device-suspended': ['device.lifecycle.suspend'],
  'admin-role-granted': ['user.account.privilege.grant'],
  'admin-role-revoked': ['user.account.privilege.revoke'],
  'sign-in-failed': ['user.session.start'],
  'mfa-factor-reset': ['user.mfa.factor.reset_all', 'user.mfa.factor.deactivate'],
  'any-event': [],
};

const EVENT_TYPES_CATALOG = 'https://developer.okta.com/docs/reference/api/event-types/';

type Party = { id?: string; type?: string; alternateId?: string; displayName?: string | null };
type Event = Record<string, unknown> & { eventType: string; actor?: Party; target?: Party[] | null };

const triggers = manifest.triggers;
const eventOf = (example: TriggerContract['examples'][number]) => example.event as Event;

/** A subject as the output carries it: taken from the first target of its type, or from the actor. */
function subjectOf(name: string, subject: TriggerSubject, event: Event): unknown {
  const party =
    subject.from === 'actor'
      ? event.actor
      : (event.target ?? []).find((target) => target.type === subject.type);
  if (!party) return undefined;
  if (name === 'user')
    return { id: party.id, login: party.alternateId, displayName: party.displayName ?? null };
  if (name === 'group') return { id: party.id, name: party.displayName };
  if (name === 'app') return { id: party.id, name: party.alternateId, label: party.displayName };
  return { id: party.id, displayName: party.displayName };
}

function valueAt(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, name) => (node as Record<string, unknown> | null | undefined)?.[name], value);
}

/** Whether an event passes one filter given one value (the example's input). */
function passes(filter: TriggerFilter, value: string, event: Event): boolean {
  const sameLogin = (login: string | undefined) => login?.toLowerCase() === value.toLowerCase();
  if ('path' in filter) return valueAt(event, filter.path) === value;
  if (filter.subject === 'target') return (event.target ?? []).some((target) => target.id === value);
  const party = (filter.subject === 'actor' ? event.actor : event[filter.subject]) as
    | { id?: string; login?: string; alternateId?: string }
    | undefined;
  if (!party) return false;
  if (filter.by === 'id') return party.id === value;
  return party.id === value || sameLogin(filter.subject === 'actor' ? party.alternateId : party.login);
}

describe('the trigger catalog', () => {
  it('has every required trigger, with its event types', () => {
    for (const [key, eventTypes] of Object.entries(REQUIRED)) {
      expect(triggers.find((t) => t.key === key)?.eventTypes, key).toEqual(eventTypes);
    }
  });

  it('has unique kebab-case keys, in a category of the actions', () => {
    const keys = triggers.map((t) => t.key);
    expect(new Set(keys).size).toBe(keys.length);
    const categories: string[] = readSchema('action.schema.json').properties.category.enum;
    for (const trigger of triggers) {
      expect(trigger.key).toMatch(/^[a-z]+(-[a-z]+)+$/);
      expect(categories, trigger.key).toContain(trigger.category);
    }
  });

  it("covers only event types Okta delivers to event hooks (the sandbox's list)", () => {
    const notEligible = triggers
      .flatMap((t) => t.eventTypes)
      .filter((type) => !EVENT_HOOK_ELIGIBLE_TYPES.has(type));
    expect(notEligible).toEqual([]);
  });

  it('gives event types by an input field only for any-event, and names its event types in each description', () => {
    for (const trigger of triggers) {
      if (trigger.eventTypesInput) {
        expect(trigger.eventTypes, trigger.key).toEqual([]);
        expect((trigger.input as { required?: string[] }).required, trigger.key).toEqual([
          trigger.eventTypesInput,
        ]);
      } else expect(trigger.eventTypes.length, trigger.key).toBeGreaterThan(0);
      for (const type of trigger.eventTypes) expect(trigger.description, trigger.key).toContain(type);
      expect(trigger.description.endsWith(EVENT_TYPES_CATALOG), trigger.key).toBe(true);
      expect(trigger.scopes).toEqual({ eventHook: ['okta.eventHooks.manage'], poll: ['okta.logs.read'] });
    }
  });

  it('has a titled, described input field for each filter, and a filter for each input field', () => {
    for (const trigger of triggers) {
      const properties = trigger.input.properties as Record<
        string,
        { $ref?: string; title?: string; description?: string }
      >;
      const definitions = (trigger.input.definitions ?? {}) as Record<string, { title?: string }>;
      const filtered = Object.keys(properties).filter((name) => name !== trigger.eventTypesInput);
      expect(Object.keys(trigger.filters).sort(), trigger.key).toEqual(filtered.sort());
      for (const [name, field] of Object.entries(properties)) {
        const resolved = field.$ref ? definitions[field.$ref.replace('#/definitions/', '')] : undefined;
        expect(field.title ?? resolved?.title, `${trigger.key}.${name}`).toBeTruthy();
        expect(field.description, `${trigger.key}.${name}`).toMatch(/^(Fire only|The Okta event types)/);
      }
      expect(trigger.input.additionalProperties, trigger.key).toBe(false);
      for (const filter of Object.values(trigger.filters)) {
        if ('subject' in filter && !['actor', 'target'].includes(filter.subject))
          expect(Object.keys(trigger.subjects), trigger.key).toContain(filter.subject);
      }
    }
  });

  it('gives every user-subject trigger the user filter', () => {
    for (const trigger of triggers.filter((t) => t.subjects.user)) {
      const expected = trigger.subjects.user?.from === 'actor' ? 'actor' : 'user';
      expect(trigger.filters.user, trigger.key).toEqual({ subject: expected, by: 'idOrLogin' });
    }
  });

  it('has an output that is the event with its subjects required, each a non-null object', () => {
    const logEvent = readSchema('definitions.json').definitions.logEvent;
    for (const trigger of triggers) {
      const output = trigger.output as {
        required: string[];
        properties: Record<string, { $ref?: string }>;
        definitions: Record<string, { type?: unknown; required?: string[] }>;
        additionalProperties?: unknown;
      };
      const subjects = Object.keys(trigger.subjects);
      expect(output.required, trigger.key).toEqual([...logEvent.required, ...subjects]);
      expect(Object.keys(output.properties), trigger.key).toEqual([
        ...Object.keys(logEvent.properties),
        ...subjects,
      ]);
      expect(output.additionalProperties, trigger.key).toBe(true);
      for (const name of subjects) {
        const ref = String(output.properties[name]?.$ref).replace('#/definitions/', '');
        expect(output.definitions[ref]?.type, `${trigger.key}.${name}`).toBe('object');
      }
    }
  });

  it('keeps manifest.json in its format (schemas/manifest.schema.json)', async () => {
    const ajv = await newAjv({ useDefaults: false });
    const validate = ajv.compile(readSchema('manifest.schema.json'));
    expect(validate(manifest), ajv.errorsText(validate.errors)).toBe(true);
  });
});

describe('the trigger examples', () => {
  it('are a valid input and a valid output of their trigger', async () => {
    const validators = await loadValidators();
    for (const trigger of triggers) {
      for (const example of trigger.examples) {
        const where = `${trigger.key}: ${example.title}`;
        const { problems } = validators.checkInput(`trigger:${trigger.key}`, trigger.input, example.input);
        expect(problems, where).toEqual([]);
        expect(
          validators.checkOutput(`trigger:${trigger.key}`, trigger.output, example.event),
          where,
        ).toEqual([]);
      }
    }
  });

  it('are events of their trigger, with the subjects taken from the event', () => {
    for (const trigger of triggers) {
      for (const example of trigger.examples) {
        const event = eventOf(example);
        const where = `${trigger.key}: ${example.title}`;
        const types = trigger.eventTypesInput
          ? (example.input[trigger.eventTypesInput] as string[])
          : trigger.eventTypes;
        expect(types, where).toContain(event.eventType);
        for (const [path, value] of Object.entries(trigger.where ?? {}))
          expect(valueAt(event, path), where).toBe(value);
        for (const [name, subject] of Object.entries(trigger.subjects)) {
          expect(event[name], `${where}: ${name}`).toEqual(subjectOf(name, subject, event));
          expect(event[name], `${where}: ${name}`).toBeTruthy();
        }
      }
    }
  });

  it('pass the filters of their own input, and fail a filter for something else', () => {
    let filtered = 0;
    for (const trigger of triggers) {
      for (const example of trigger.examples) {
        const event = eventOf(example);
        for (const [name, filter] of Object.entries(trigger.filters)) {
          const value = example.input[name];
          if (typeof value !== 'string') continue;
          filtered += 1;
          expect(passes(filter, value, event), `${trigger.key}: ${example.title}: ${name}`).toBe(true);
          expect(passes(filter, `${value}x`, event), `${trigger.key}: ${example.title}: ${name}`).toBe(false);
        }
      }
    }
    expect(filtered).toBeGreaterThanOrEqual(10);
  });

  it('look like Okta events: an id, a date, an actor, a client with its address and user agent', () => {
    const targetTypes = new Set<string>();
    for (const trigger of triggers) {
      for (const example of trigger.examples) {
        const event = eventOf(example) as Event & {
          uuid: string;
          published: string;
          client: { ipAddress: string; userAgent: { rawUserAgent: string } };
        };
        const where = `${trigger.key}: ${example.title}`;
        expect(event.uuid, where).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(event.published, where).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(event.actor?.id, where).toMatch(/^[0-9A-Za-z]{20}$/);
        expect(event.client.ipAddress, where).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
        expect(event.client.userAgent.rawUserAgent, where).toBeTruthy();
        for (const target of event.target ?? []) {
          expect(target.id, where).toMatch(/^[0-9A-Za-z]{20}$/);
          targetTypes.add(String(target.type));
        }
      }
    }
    expect([...targetTypes].sort()).toEqual(['AppInstance', 'AppUser', 'Device', 'User', 'UserGroup']);
  });
});
