/**
 * The Okta SDK's API groups (userApi, groupApi, ...), each built from that group's own modules on first
 * use. Requiring the SDK's index loads all of its ~80 groups, its OAuth, JWT and YAML configuration code and
 * node-fetch's executor (~1.1 s and ~2,500 files in a fresh process); a group's own request factory and
 * response processor, with the model classes they (de)serialize, are ~70% of that (bench/cold-start.mjs).
 *
 * A call still goes through the SDK's typed API as before: its request factory builds the request (path,
 * query, body serialized from its models, required parameters checked), its response processor turns
 * the answer into its model classes, and a failure is its OktaApiError or HttpError. What this module does
 * in place of the SDK's thin wrappers around them:
 *   - ObjectXApi, which hands a parameter object's fields to the factory in order: the order of every
 *     method comes from sdk-operations.gen.json, which npm run gen reads off the installed SDK by calling
 *     its own classes (scripts/sdk-operations.mjs);
 *   - ObservableXApi, which sends the factory's request with the configuration's HTTP library and hands
 *     the answer to the processor (no middleware is configured: none runs either way);
 *   - the SDK's Http, which adds its default headers, sends with the request executor (ours: the guarded
 *     executor, as before) and turns a non-2xx answer into OktaApiError or HttpError.
 * Methods that do anything else (lists, which return a Collection) are not in the table: they, and
 * anything else a group is asked for, come from a full SDK client built as before.
 */
import { createRequire } from 'node:module';
import { platform, release } from 'node:os';
import type { RequestExecutor } from '@okta/okta-sdk-nodejs';
import type { RequestOptions } from '@okta/okta-sdk-nodejs/src/types/request-options.js';
import { moduleUrl } from '../package/module-url.js';
import operations from './sdk-operations.gen.json';

/** The SDK's generated RequestContext, as read here. */
interface RequestContext {
  getUrl(): string;
  getHttpMethod(): string;
  getHeaders(): Record<string, string>;
  getBody(): unknown;
}

interface Observable<T> {
  toPromise(): Promise<T>;
}

interface Configuration {
  httpApi: { send(context: RequestContext): Observable<unknown> };
}

type Methods = Record<string, (...args: unknown[]) => Promise<unknown>>;

/** The pieces of the SDK this module uses, each required on its own. */
interface SdkParts {
  createConfiguration(settings: { baseServer: unknown; httpApi: Configuration['httpApi'] }): Configuration;
  ServerConfiguration: new (url: string) => unknown;
  ResponseContext: new (
    status: number,
    headers: Record<string, string>,
    body: { text(): Promise<string>; binary(): Promise<Buffer> },
  ) => unknown;
  from<T>(promise: Promise<T>): Observable<T>;
  OktaApiError: new (url: string, status: number, body: unknown, headers: unknown) => Error;
  HttpError: new (url: string, status: number, body: string, headers: unknown) => Error;
  userAgent: string;
  apiModule(apiName: string): Record<string, new (configuration?: Configuration) => Methods>;
}

const groupsOf = operations.properties as Record<string, string>;
const operationsOf = operations.apis as Record<string, Record<string, string[]>>;

let parts: SdkParts | undefined;

/**
 * A connection's API groups: `group('userApi')` is its user API, built on first use, or undefined for a
 * name that is no API group. `full(name)` gives what a full SDK client has under that name.
 */
export function sdkApiGroups(
  orgUrl: string,
  executor: RequestExecutor,
  full: (name: string) => unknown,
): (name: string) => object | undefined {
  const groups = new Map<string, object>();
  let configuration: Configuration | undefined;
  return (name) => {
    const apiName = Object.hasOwn(groupsOf, name) ? groupsOf[name] : undefined;
    if (!apiName) return undefined;
    let group = groups.get(name);
    if (!group) {
      configuration ??= configurationFor(orgUrl, executor);
      group = apiGroup(apiName, configuration, () => full(name) as Record<string, unknown>);
      groups.set(name, group);
    }
    return group;
  };
}

/** One group: its table's methods on the SDK's factory and processor, anything else from a full client. */
function apiGroup(apiName: string, configuration: Configuration, full: () => Record<string, unknown>) {
  const module = sdkParts().apiModule(apiName);
  const Factory = module[`${apiName}RequestFactory`];
  const Processor = module[`${apiName}ResponseProcessor`];
  if (!Factory || !Processor) throw new Error(`The Okta SDK has no ${apiName} request factory`);
  const factory = new Factory(configuration);
  const processor = new Processor();
  const table = operationsOf[apiName] ?? {};
  const methods = new Map<string, (param: Record<string, unknown>, options?: unknown) => Promise<unknown>>();
  return new Proxy(
    {},
    {
      get(_target, name) {
        // Not a thenable (a group may be awaited by mistake), and nothing for inspection's symbols.
        if (typeof name !== 'string' || name === 'then') return undefined;
        const parameters = Object.hasOwn(table, name) ? table[name] : undefined;
        if (!parameters) {
          const group = full();
          const value = group[name];
          return typeof value === 'function' ? value.bind(group) : value;
        }
        let method = methods.get(name);
        if (!method) {
          method = async (param, options) => {
            const context = await factory[name]!(...parameters.map((parameter) => param[parameter]), options);
            const answer = await configuration.httpApi.send(context as RequestContext).toPromise();
            return processor[name]!(answer);
          };
          methods.set(name, method);
        }
        return method;
      },
    },
  );
}

/** The SDK's configuration for one org, sending as the SDK's Http does, on our executor. */
function configurationFor(orgUrl: string, executor: RequestExecutor): Configuration {
  const sdk = sdkParts();
  const send = async (context: RequestContext) => {
    const response = await executor.fetch({
      url: context.getUrl(),
      method: context.getHttpMethod(),
      // The SDK's default headers: its User-Agent (Authorization is the executor's, per connection).
      headers: { 'User-Agent': sdk.userAgent, ...context.getHeaders() },
      body: context.getBody(),
    } as RequestOptions);
    if (response.status < 200 || response.status >= 300) {
      // As the SDK's Http.errorFilter: a JSON body is Okta's error, anything else an HTTP error.
      const body = await response.text();
      let error: Error;
      try {
        error = new sdk.OktaApiError(response.url, response.status, JSON.parse(body), response.headers);
      } catch {
        error = new sdk.HttpError(response.url, response.status, body, response.headers);
      }
      throw error;
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return new sdk.ResponseContext(response.status, headers, {
      text: () => response.text(),
      binary: () => response.buffer(),
    });
  };
  return sdk.createConfiguration({
    baseServer: new sdk.ServerConfiguration(orgUrl),
    httpApi: { send: (context) => sdk.from(send(context)) },
  });
}

/** Required from this package's own location (src/package/module-url.ts), whichever build runs. */
function sdkParts(): SdkParts {
  if (!parts) {
    const required = (path: string) => createRequire(moduleUrl)(`@okta/okta-sdk-nodejs/${path}`);
    const { name, version } = required('package.json') as { name: string; version: string };
    parts = {
      createConfiguration: required('src/generated/configuration.js').createConfiguration,
      ServerConfiguration: required('src/generated/servers.js').ServerConfiguration,
      ResponseContext: required('src/generated/http/http.js').ResponseContext,
      from: required('src/generated/rxjsStub.js').from,
      OktaApiError: required('src/api-error.js'),
      HttpError: required('src/http-error.js'),
      // The SDK's own, as its Client sets it for the userAgent okta-actions gives it (client-factory.ts).
      userAgent: `okta-actions ${name}/${version} node/${process.versions.node} ${platform()}/${release()}`,
      apiModule: (apiName) => required(`src/generated/apis/${apiName}.js`),
    };
  }
  return parts;
}
