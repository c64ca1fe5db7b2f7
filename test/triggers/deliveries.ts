/** Event hook deliveries as Okta sends them, for the receiver's tests, drills and fuzzing. */
import { fakeLogEvent } from '../helpers/fixtures-security.js';

export const SECRET = 'test-hook-secret-4f9c2a7e1b8d';

let counter = 0;

const ADMIN = {
  id: '00u1adminAAAAAAAAAAA',
  type: 'User',
  alternateId: 'it.admin@example.com',
  displayName: 'IT Admin',
};
const JANE = {
  id: '00ub0oNGTSWTBKOLGLNR',
  type: 'User',
  alternateId: 'jane.doe@example.com',
  displayName: 'Jane Doe',
};
const ENGINEERING = {
  id: '00g1emaildomainAAAAA',
  type: 'UserGroup',
  alternateId: 'unknown',
  displayName: 'Engineering',
};

/** A System Log event by an admin, with a fresh uuid. */
function adminEvent(
  eventType: string,
  displayMessage: string,
  target: unknown[],
  overrides: Record<string, unknown>,
) {
  counter += 1;
  return fakeLogEvent({
    uuid: `7c1a0b2e-0000-4000-a000-${String(counter).padStart(12, '0')}`,
    eventType,
    displayMessage,
    actor: ADMIN,
    target,
    ...overrides,
  });
}

/** Jane added to the Engineering group by an admin. */
export function membershipEvent(overrides: Record<string, unknown> = {}) {
  return adminEvent(
    'group.user_membership.add',
    'Add user to group membership',
    [JANE, ENGINEERING],
    overrides,
  );
}

/** Jane deactivated by an admin. */
export function deactivationEvent(overrides: Record<string, unknown> = {}) {
  return adminEvent('user.lifecycle.deactivate', 'Deactivate Okta user', [JANE], overrides);
}

/** The envelope Okta POSTs: several events may be batched in one. */
export function deliveryBody(events: unknown[]) {
  return {
    eventType: 'com.okta.event_hook',
    eventTypeVersion: '1.0',
    cloudEventsVersion: '0.1',
    source: 'https://acme.okta.com/api/v1/eventHooks/who8vt36qfNpCGz9H1e6',
    eventId: `b5a188b9-5ece-4636-b041-${String(counter).padStart(12, '0')}`,
    eventTime: '2026-11-20T08:15:01.000Z',
    contentType: 'application/json',
    data: { events },
  };
}

/** A delivery request; `secret: null` sends no authorization header. */
export function post(body: unknown, secret: string | null = SECRET): Request {
  return new Request('https://hooks.example.com/okta', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(secret !== null ? { authorization: secret } : {}),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
