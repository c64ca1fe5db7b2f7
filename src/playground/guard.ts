/**
 * What keeps the playground safe on a shared machine. It listens on loopback only; every API request
 * must carry the session token printed in its URL (a random 192-bit value, compared in constant time), so
 * another user of the machine cannot drive it; the Host header must name the loopback address it listens
 * on, so a DNS name rebound to 127.0.0.1 cannot reach it from a web page; and a request with an Origin
 * must come from the playground's own page, so no other site can make the browser send one.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_HEADER = 'x-playground-token';

export function newSessionToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Why a request is refused (status and reason), or undefined when it may be served. */
export function refusal(
  request: IncomingMessage,
  port: number,
  token: string,
  needsToken: boolean,
): { status: number; reason: string } | undefined {
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!allowedHosts.includes((request.headers.host ?? '').toLowerCase()))
    return { status: 421, reason: 'this playground answers only on its loopback address' };
  const origin = request.headers.origin;
  if (origin !== undefined && !allowedHosts.some((host) => origin === `http://${host}`))
    return { status: 403, reason: 'requests from other sites are refused' };
  if (needsToken && !sameSecret(tokenOf(request), token))
    return {
      status: 401,
      reason: 'the session token is missing or wrong: open the URL the playground printed',
    };
  return undefined;
}

function tokenOf(request: IncomingMessage): string | undefined {
  const header = request.headers[TOKEN_HEADER];
  if (typeof header === 'string') return header;
  return new URL(request.url ?? '/', 'http://placeholder').searchParams.get('token') ?? undefined;
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
