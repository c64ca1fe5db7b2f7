/**
 * The live suite's mark on what it creates: every user login and group name starts with
 * `okta-actions-live-<time>-<random>`, so a maintainer recognizes them in the Admin Console and the suite
 * can tell its own objects (and an aborted run's leftovers) from everything else in the org.
 *
 * The time is when the run started (milliseconds, base 36): a leftover's age is read from its own name, so
 * the sweep never touches the objects of a run that is still going on somewhere else.
 */
import { randomBytes } from 'node:crypto';

export const MARKER_PREFIX = 'okta-actions-live-';

/** A login domain reserved for examples (RFC 2606): no mail to these addresses reaches anyone. */
export const MARKER_EMAIL_DOMAIN = 'example.com';

/** The marker, then the end, `-` (a rename by the suite) or `@` (a login). */
const MARKED = /^okta-actions-live-([0-9a-z]{6,12})-([0-9a-f]{6})(?=$|[-@])/;

export interface Marker {
  /** `okta-actions-live-<time>-<random>`. */
  readonly text: string;
  readonly startedAt: Date;
}

export function newMarker(now: Date = new Date()): Marker {
  return {
    text: `${MARKER_PREFIX}${now.getTime().toString(36)}-${randomBytes(3).toString('hex')}`,
    startedAt: now,
  };
}

/** The marker a user login or group name carries, or undefined when it carries none. */
export function markerOf(name: string): Marker | undefined {
  const match = MARKED.exec(name);
  if (!match) return undefined;
  const startedAt = new Date(Number.parseInt(match[1]!, 36));
  return Number.isNaN(startedAt.getTime()) ? undefined : { text: match[0], startedAt };
}

/** The login of the suite's user: the marker itself, at the reserved domain. */
export function markedLogin(marker: Marker): string {
  return `${marker.text}@${MARKER_EMAIL_DOMAIN}`;
}

/** True when `name` carries exactly this marker (the suite's own object of this run). */
export function carries(name: string | undefined, marker: Marker): boolean {
  return name !== undefined && markerOf(name)?.text === marker.text;
}
