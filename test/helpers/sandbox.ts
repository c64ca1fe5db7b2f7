/** Starting sandboxes in tests and talking to them with plain HTTP (no plugin in between). */
import { afterEach, beforeEach, expect } from 'vitest';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../src/sandbox/index.js';

export interface RawAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read Okta's JSON freely; the sandbox checks its shape.
  body: any;
  headers: Headers;
}

/** A thin HTTP client for the sandbox, authenticated with its admin token (or another). */
export function sandboxClient(sandbox: Sandbox, token: string = sandbox.token) {
  const call = async (method: string, path: string, body?: unknown): Promise<RawAnswer> => {
    const response = await fetch(`${sandbox.url}${path}`, {
      method,
      headers: {
        authorization: `SSWS ${token}`,
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown) => call('POST', path, body),
    put: (path: string, body?: unknown) => call('PUT', path, body),
    delete: (path: string) => call('DELETE', path),
  };
}

/**
 * The requests that broke Okta's description so far, which the sandbox recorded, and the record cleared: a
 * test that sends such a request on purpose takes them (and can assert on them).
 */
export function takeRequestViolations(sandbox: Sandbox): string[] {
  return sandbox.requestViolations.splice(0);
}

/**
 * A fresh sandbox for every test of the file, closed afterwards; each test also fails if the sandbox
 * sent an answer that breaks Okta's API description, or received a request that breaks it and that the test
 * did not take (takeRequestViolations) as sent on purpose.
 */
export function useSandbox(options: SandboxOptions = {}): {
  readonly sandbox: Sandbox;
  readonly api: ReturnType<typeof sandboxClient>;
} {
  let current: Sandbox | undefined;
  beforeEach(async () => {
    current = await startSandbox(options);
  });
  afterEach(async () => {
    const violations = current?.contractViolations ?? [];
    const requests = current?.requestViolations ?? [];
    await current?.close();
    current = undefined;
    expect(violations, "sandbox answers that break Okta's API description").toEqual([]);
    expect(requests, "requests to the sandbox that break Okta's API description").toEqual([]);
  });
  return {
    get sandbox() {
      if (!current) throw new Error('the sandbox starts in beforeEach');
      return current;
    },
    get api() {
      return sandboxClient(this.sandbox);
    },
  };
}
