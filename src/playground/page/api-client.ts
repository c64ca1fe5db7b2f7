/** The page's calls to the playground server: the session token from the page's URL on every one. */
const token = new URLSearchParams(window.location.search).get('token') ?? '';

export async function call<T = any>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method: body === undefined && path === '/api/session' ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', 'x-playground-token': token },
    ...(body === undefined && path === '/api/session' ? {} : { body: JSON.stringify(body ?? {}) }),
  });
  return response.json() as Promise<T>;
}
