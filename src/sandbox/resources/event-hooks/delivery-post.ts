/** One POST of a delivery to a hook's endpoint, with a deadline for the whole answer. */
import { type ClientRequest, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export type PostAnswer =
  | { status: number; failure?: undefined; timedOut?: undefined }
  | { status?: undefined; failure: string; timedOut: boolean };

/**
 * Posts `body` and resolves with the endpoint's status once its answer has been read, or with why there is
 * none: no whole answer within `timeoutMs`, or no connection. It never rejects. `track` is given a function
 * that abandons the call (the sandbox closing) and returns the function that forgets it again.
 */
export function postJson(
  uri: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  track: (abandon: () => void) => () => void,
): Promise<PostAnswer> {
  return new Promise((resolve) => {
    let request: ClientRequest | undefined;
    let settled = false;
    const finish = (answer: PostAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      untrack();
      request?.destroy();
      resolve(answer);
    };
    const timer = setTimeout(
      () => finish({ failure: `the endpoint did not answer within ${timeoutMs} ms`, timedOut: true }),
      timeoutMs,
    );
    const untrack = track(() => finish({ failure: 'the call was abandoned', timedOut: false }));
    try {
      const url = new URL(uri);
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      // A connection of its own per call (no agent): nothing stays open once the answer is read.
      request = send(url, {
        method: 'POST',
        agent: false,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      });
    } catch (error) {
      finish({ failure: `the call could not be made (${(error as Error).message})`, timedOut: false });
      return;
    }
    request.on('response', (response) => {
      response.resume();
      response.on('end', () => finish({ status: response.statusCode ?? 0 }));
      response.on('error', (error) => finish(unreachable(error)));
    });
    request.on('error', (error) => finish(unreachable(error)));
    request.end(body);
  });
}

function unreachable(error: Error): PostAnswer {
  const code = (error as NodeJS.ErrnoException).code ?? error.message;
  return { failure: `the endpoint could not be reached (${code})`, timedOut: false };
}
