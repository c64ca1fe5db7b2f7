/**
 * The Okta SDK's typed API calls, as a table (src/transport/sdk-operations.gen.json) that lets the
 * transport build one API group from that group's own modules (src/transport/sdk-apis.ts) rather than
 * requiring the SDK's index, which loads every group and every helper (~1.1 s in a fresh process).
 *
 *   properties  the client's API group properties and their class: userApi -> UserApi
 *   apis        per group, each method whose call is the SDK's plain pipeline (its request factory, the
 *               HTTP library, its response processor), with the names of its parameters in the order
 *               the request factory takes them: updateUser -> [userId, user, strict, ifMatch]
 *
 * Read off the installed SDK by calling its own classes, not by parsing its source: each ObjectXApi method
 * is called with a parameter object that records which names it reads, in which order, and each
 * ObservableXApi method with stand-ins that record whether it sends one request and hands the answer to its
 * processor (list methods build a Collection instead: they stay out of the table and go to a full client).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const SDK_OPERATIONS_FILE = 'src/transport/sdk-operations.gen.json';

export async function sdkOperationsFile(root) {
  const requireSdk = (path) => createRequire(join(root, 'package.json'))(`@okta/okta-sdk-nodejs/${path}`);
  const { version } = requireSdk('package.json');
  const objectApis = requireSdk('src/generated/types/ObjectParamAPI.js');
  const observableApis = requireSdk('src/generated/types/ObservableAPI.js');
  const { of } = requireSdk('src/generated/rxjsStub.js');
  const { Client } = requireSdk('src/index.js');

  const client = new Client({ orgUrl: 'https://generator.okta.com', token: 'unused', cacheMiddleware: null });
  const properties = {};
  for (const [property, value] of Object.entries(client)) {
    const className = value?.constructor?.name ?? '';
    if (className.startsWith('Object') && objectApis[className] === value.constructor)
      properties[property] = className.slice('Object'.length);
  }
  const apis = {};
  for (const apiName of [...new Set(Object.values(properties))].sort()) {
    const module = requireSdk(`src/generated/apis/${apiName}.js`);
    const factory = module[`${apiName}RequestFactory`];
    const processor = module[`${apiName}ResponseProcessor`];
    if (!factory || !processor) throw new Error(`the SDK's ${apiName} has no request factory or processor`);
    const operations = {};
    const ObjectApi = objectApis[`Object${apiName}`];
    for (const method of Object.getOwnPropertyNames(ObjectApi.prototype).sort()) {
      if (method === 'constructor' || typeof factory.prototype[method] !== 'function') continue;
      const parameters = parameterOrder(ObjectApi, method);
      const ObservableApi = observableApis[`Observable${apiName}`];
      if (parameters && (await isPlainPipeline(ObservableApi, method, parameters.length, of)))
        operations[method] = parameters;
    }
    apis[apiName] = operations;
  }
  return `${JSON.stringify({ sdkVersion: version, properties: sorted(properties), apis }, null, 2)}\n`;
}

const OPTIONS = Symbol('options');

/** The parameter names an ObjectXApi method hands on, in order, or undefined if it does anything else. */
function parameterOrder(ObjectApi, method) {
  const api = new ObjectApi({ baseServer: {}, httpApi: {}, middleware: [], authMethods: {} });
  let handedOn;
  api.api = new Proxy(
    {},
    {
      get:
        (_target, name) =>
        (...args) => {
          handedOn = { name, args };
          return { toPromise: () => undefined };
        },
    },
  );
  const param = new Proxy({}, { get: (_target, name) => ({ parameter: name }) });
  api[method](param, OPTIONS);
  const args = handedOn?.args ?? [];
  if (handedOn?.name !== method || args.at(-1) !== OPTIONS) return undefined;
  const names = args.slice(0, -1).map((arg) => arg?.parameter);
  return names.every((name) => typeof name === 'string') ? names : undefined;
}

/** True when the ObservableXApi method sends one request and returns what its response processor makes. */
async function isPlainPipeline(ObservableApi, method, parameterCount, of) {
  const context = { stand: 'request context' };
  const response = { stand: 'response' };
  const result = { stand: 'result' };
  const sent = [];
  const processed = [];
  const configuration = {
    middleware: [],
    httpApi: {
      send: (request) => {
        sent.push(request);
        return of(response);
      },
    },
  };
  const factory = { [method]: async () => context };
  const processor = {
    [method]: async (answer) => {
      processed.push(answer);
      return result;
    },
  };
  const api = new ObservableApi(configuration, factory, processor);
  try {
    const answer = await api[method](...Array(parameterCount).fill(undefined), undefined).toPromise();
    return answer === result && sent.length === 1 && sent[0] === context && processed[0] === response;
  } catch {
    // Anything else the method does with the request context (a list's Collection reads its URL).
    return false;
  }
}

function sorted(record) {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
