/**
 * Okta's published API description as a checker: which operation a request belongs to, whether its path
 * parameters, query parameters and body match the operation's schemas (and nothing undeclared is sent),
 * and whether a response body matches the documented response. The sandbox uses it on every request and
 * response it handles; the tests use it on every request the plugin sends through nock. It reads both of
 * Okta's descriptions: the Management API's JSON bodies and the OAuth API's form-encoded ones (the token
 * request), whose parameters are checked as an object of strings.
 *
 * Each problem says how Okta meets it (`RequestProblem.okta`), so the sandbox can answer as Okta does while
 * still recording every departure from the description: see src/sandbox/NOTES.md for the sources.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { isInternationalizedEmail } from '../schema/idn-email.js';

export type OpenApiDocument = {
  paths: Record<string, Record<string, unknown>>;
  components: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
};

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Record<string, unknown>;
}

interface Operation {
  operationId: string;
  method: string;
  template: string;
  matcher: RegExp;
  literalSegments: number;
  parameters: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  security?: Array<Record<string, string[]>>;
}

export interface RequestToCheck {
  method: string;
  /** Path and query, e.g. /api/v1/users?limit=200. */
  path: string;
  body?: string;
  /** When given, its Content-Type must be one the operation takes for its body. */
  headers?: Record<string, string | string[] | undefined>;
}

/**
 * How Okta answers a request with this problem:
 * - `ignores`: it serves the request as if the problem were not there (an undeclared query parameter; a
 *   body sent to an operation that reads none);
 * - `unreadable`: its JSON reader refuses the body before anything is validated, 400 E0000003 "The request
 *   body was not well-formed." (not JSON, a value of the wrong JSON type, and for the operations in
 *   REFUSES_UNDECLARED_PROPERTIES a top-level property the body does not have);
 * - `invalid`: its validation refuses the request, 400 E0000001 naming what is wrong.
 */
export type OktaReaction = 'ignores' | 'unreadable' | 'invalid';

export interface RequestProblem {
  okta: OktaReaction;
  /** What breaks the description, prefixed with the request ("POST /api/v1/users (createUser): ..."). */
  message: string;
}

/**
 * Operations whose body Okta refuses (E0000003) when it has a top-level property Okta does not know, with
 * the evidence. Elsewhere the description's request schemas may list fewer properties than Okta reads (the
 * user type update schema leaves out `name`, which Okta reads to refuse a change), so an undeclared
 * property is only recorded there.
 */
const REFUSES_UNDECLARED_PROPERTIES: Record<string, string> = {
  createUser: 'flypenguin/okta-cli#1: profile attributes at the top level of the body',
  updateUser: 'okta-sdk-python#49: a `links` property in the body of an update',
  replaceUser: 'the same body (UpdateUserRequest) as updateUser',
};

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

export class OktaApiDescription {
  readonly operations: Operation[];
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {
    this.ajv = new Ajv({
      strict: false,
      allErrors: true,
      discriminator: false,
      logger: false,
      validateSchema: false,
    });
    (addFormatsModule as unknown as { default?: (a: Ajv) => void }).default?.(this.ajv) ??
      (addFormatsModule as unknown as (a: Ajv) => void)(this.ajv);
    // The description marks profile emails `format: email` (ASCII, RFC 5321), yet Okta takes Unicode in
    // logins and email addresses (help.okta.com, "Supported Okta email address characters"): read it as
    // Okta's servers do, so an internationalized address is not taken for a broken request.
    this.ajv.addFormat('email', isInternationalizedEmail);
    this.ajv.addSchema({ $id: 'okta.json', components: document.components });
    this.operations = this.indexOperations();
  }

  operationById(operationId: string): Operation | undefined {
    return this.operations.find((op) => op.operationId === operationId);
  }

  /** The operation a method and path (without query) belong to; literal segments win over parameters. */
  match(
    method: string,
    pathname: string,
  ): { operation: Operation; params: Record<string, string> } | undefined {
    for (const operation of this.operations) {
      if (operation.method !== method.toLowerCase()) continue;
      const found = operation.matcher.exec(pathname);
      if (!found) continue;
      const names = [...operation.template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      const params = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(found[i + 1]!)]));
      return { operation, params };
    }
    return undefined;
  }

  /** Problems of one request, empty when it is exactly what the description allows. */
  checkRequest(request: RequestToCheck): string[] {
    return this.requestProblems(request).map((problem) => problem.message);
  }

  /** The problems of one request, each with how Okta answers it. */
  requestProblems(request: RequestToCheck): RequestProblem[] {
    const url = new URL(request.path, 'https://org.invalid');
    const matched = this.match(request.method, url.pathname);
    const label = `${request.method.toUpperCase()} ${url.pathname}`;
    if (!matched) return [invalid(`${label}: no operation in Okta's API description`)];
    const { operation, params } = matched;
    const problems: RequestProblem[] = [];
    const where = `${label} (${operation.operationId})`;

    for (const parameter of operation.parameters.filter((p) => p.in === 'path')) {
      problems.push(...this.checkValue(parameter, params[parameter.name], where).map(invalid));
    }
    const queryNames = new Set(url.searchParams.keys());
    for (const name of queryNames) {
      const parameter = operation.parameters.find((p) => p.in === 'query' && p.name === name);
      if (!parameter) {
        // Okta serves the request without it; RFC 6749 (3.1, 3.2) asks the same of OAuth endpoints.
        problems.push({
          okta: 'ignores',
          message: `${where}: query parameter "${name}" is not in the description`,
        });
        continue;
      }
      problems.push(
        ...this.checkValue(parameter, url.searchParams.get(name) ?? undefined, where).map(invalid),
      );
    }
    for (const parameter of operation.parameters.filter((p) => p.in === 'query' && p.required)) {
      if (!queryNames.has(parameter.name))
        problems.push(invalid(`${where}: required query parameter "${parameter.name}" missing`));
    }

    const hasBody = request.body !== undefined && request.body !== '';
    if (hasBody && !operation.requestBody)
      problems.push({ okta: 'ignores', message: `${where}: sends a body, but the operation takes none` });
    if (!hasBody && operation.requestBody?.required)
      problems.push(invalid(`${where}: the required body is missing`));
    if (hasBody && operation.requestBody) problems.push(...this.checkBody(operation, request, where));
    return problems;
  }

  /** The body as the operation's content type reads it: JSON, or form parameters (each a string). */
  private checkBody(operation: Operation, request: RequestToCheck, where: string): RequestProblem[] {
    const content = operation.requestBody?.content ?? {};
    const declared = Object.keys(content);
    const sent = headerValue(request.headers, 'content-type')?.split(';')[0]?.trim().toLowerCase();
    if (sent !== undefined && !declared.includes(sent))
      return [
        invalid(
          `${where}: body sent as ${sent || 'no content type'}, the operation takes ${declared.join(' or ')}`,
        ),
      ];
    const type = sent ?? (content[JSON_TYPE] ? JSON_TYPE : declared[0]);
    const schema = type ? content[type]?.schema : undefined;
    if (type === FORM_TYPE) {
      const form = new URLSearchParams(request.body!);
      // RFC 6749 3.2: a parameter sent more than once makes the request malformed.
      const repeated = [...new Set(form.keys())].filter((name) => form.getAll(name).length > 1);
      if (repeated.length > 0)
        return [invalid(`${where}: form parameter "${repeated[0]}" is sent more than once`)];
      const body = Object.fromEntries(form);
      return schema
        ? this.validate(`body:${operation.operationId}`, schema, body, `${where} body`).map(invalid)
        : [];
    }
    let body: unknown;
    try {
      body = JSON.parse(request.body!);
    } catch {
      return [{ okta: 'unreadable', message: `${where}: body is not JSON` }];
    }
    if (!schema) return [];
    // A body of another JSON type than the operation's (null, an array, a string for an object) cannot be
    // read at all; nothing inside it is worth reporting.
    const expected = this.jsonTypeOf(schema);
    if (expected && jsonType(body) !== expected)
      return [{ okta: 'unreadable', message: `${where} body: must be a JSON ${expected}` }];
    const problems: RequestProblem[] = this.undeclaredTopLevelProperties(schema, body).map((name) => ({
      okta: operation.operationId in REFUSES_UNDECLARED_PROPERTIES ? 'unreadable' : 'ignores',
      message: `${where} body: property "${name}" is not in the description`,
    }));
    const errors = this.validationErrors(`body:${operation.operationId}`, schema, body);
    for (const error of errors) {
      problems.push({
        okta: readerRefuses(error, body) ? 'unreadable' : 'invalid',
        message: `${where} body${error.instancePath}: ${error.message}`,
      });
    }
    return problems;
  }

  /**
   * Top-level properties of a JSON object body that its schema does not declare, when the schema lists its
   * properties (through allOf/anyOf/oneOf too) and admits no others.
   */
  private undeclaredTopLevelProperties(schema: unknown, body: unknown): string[] {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return [];
    const declared = this.declaredProperties(schema, new Set());
    if (!declared) return [];
    return Object.keys(body).filter((name) => !declared.has(name));
  }

  /** The JSON type a schema describes at its root, when it describes one: an object when it lists properties. */
  private jsonTypeOf(node: unknown): 'object' | 'array' | undefined {
    const schema = this.resolve(node) as Record<string, unknown> | undefined;
    if (!schema) return undefined;
    if (schema.type === 'object' || schema.type === 'array') return schema.type;
    if (schema.properties) return 'object';
    for (const branch of ['allOf', 'anyOf', 'oneOf'].flatMap((key) => (schema[key] as unknown[]) ?? [])) {
      const type = this.jsonTypeOf(branch);
      if (type) return type;
    }
    return undefined;
  }

  /** Every property name a schema declares, or undefined when it admits properties it does not name. */
  private declaredProperties(node: unknown, seen: Set<unknown>): Set<string> | undefined {
    const schema = this.resolve(node) as Record<string, unknown> | undefined;
    if (!schema || seen.has(schema)) return new Set();
    seen.add(schema);
    const names = new Set<string>(Object.keys((schema.properties as object | undefined) ?? {}));
    const branches = ['allOf', 'anyOf', 'oneOf'].flatMap((key) => (schema[key] as unknown[]) ?? []);
    // A discriminator left without its oneOf names subtypes (IPNetworkZone, ...) that add properties.
    const open =
      (schema.additionalProperties !== undefined && schema.additionalProperties !== false) ||
      (branches.length === 0 && schema.properties === undefined) ||
      schema.discriminator !== undefined;
    if (open) return undefined;
    for (const branch of branches) {
      const more = this.declaredProperties(branch, seen);
      if (!more) return undefined;
      for (const name of more) names.add(name);
    }
    return names;
  }

  /** Problems of a response body for an operation and status (fixtures must look like Okta's answers). */
  checkResponse(operationId: string, status: number, body: unknown): string[] {
    const operation = this.operationById(operationId);
    if (!operation) return [`no operation ${operationId}`];
    const response = this.resolve(operation.responses[String(status)]) as {
      content?: Record<string, { schema?: unknown }>;
    };
    if (!response) return [`${operationId}: status ${status} is not a documented response`];
    const schema = response.content?.['application/json']?.schema;
    if (!schema)
      return body === undefined || body === '' ? [] : [`${operationId} ${status}: documented without a body`];
    return this.validate(
      `response:${operationId}:${status}`,
      schema,
      body,
      `${operationId} ${status} response`,
    );
  }

  /** Whether the description documents this status for the operation. */
  documents(operationId: string, status: number): boolean {
    return this.operationById(operationId)?.responses[String(status)] !== undefined;
  }

  /** OAuth scopes the description requires for an operation. */
  scopesOf(operationId: string): string[] {
    const operation = this.operationById(operationId);
    return (operation?.security ?? []).flatMap((requirement) => requirement.oauth2 ?? []);
  }

  private checkValue(parameter: Parameter, raw: string | undefined, where: string): string[] {
    if (raw === undefined)
      return parameter.required ? [`${where}: ${parameter.in} parameter "${parameter.name}" missing`] : [];
    const schema = this.resolve(parameter.schema) as { type?: string } | undefined;
    if (!schema) return [];
    const value =
      schema.type === 'integer' || schema.type === 'number'
        ? Number(raw)
        : schema.type === 'boolean'
          ? raw === 'true'
            ? true
            : raw === 'false'
              ? false
              : raw
          : raw;
    return this.validate(
      `param:${where}:${parameter.name}`,
      parameter.schema,
      value,
      `${where} ${parameter.in} parameter "${parameter.name}"`,
    );
  }

  private validate(key: string, schema: unknown, value: unknown, label: string): string[] {
    return this.validationErrors(key, schema, value).map((e) => `${label}${e.instancePath}: ${e.message}`);
  }

  private validationErrors(key: string, schema: unknown, value: unknown): ErrorObject[] {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(pointRefsAtDocument(schema) as object);
      this.validators.set(key, validate);
    }
    if (validate(value)) return [];
    // An if/then failure is reported twice: by the "then" keyword that failed, and as "must match then
    // schema" by the if; the second says nothing more.
    return (validate.errors ?? []).filter((e) => e.keyword !== 'if');
  }

  private resolve(node: unknown): unknown {
    let current = node as { $ref?: string } | undefined;
    while (current?.$ref) {
      const [, kind, name] = /^#\/components\/(\w+)\/(.+)$/.exec(current.$ref) ?? [];
      current = kind && name ? (this.document.components[kind]?.[name] as { $ref?: string }) : undefined;
    }
    return current;
  }

  private indexOperations(): Operation[] {
    const operations: Operation[] = [];
    for (const [template, item] of Object.entries(this.document.paths)) {
      const shared = ((item as { parameters?: unknown[] }).parameters ?? []).map(
        (p) => this.resolve(p) as Parameter,
      );
      for (const method of METHODS) {
        const op = (item as Record<string, Record<string, unknown>>)[method];
        if (!op) continue;
        const own = ((op.parameters as unknown[]) ?? []).map((p) => this.resolve(p) as Parameter);
        const parameters = [
          ...own,
          ...shared.filter((s) => !own.some((o) => o.name === s.name && o.in === s.in)),
        ];
        const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
        operations.push({
          operationId: String(op.operationId),
          method,
          template,
          matcher: new RegExp(`^${pattern.replace(/\{\w+\}/g, '([^/]+)')}$`),
          literalSegments: template.split('/').filter((s) => s && !s.startsWith('{')).length,
          parameters,
          requestBody: this.resolve(op.requestBody) as Operation['requestBody'],
          responses: (op.responses ?? {}) as Operation['responses'],
          security: op.security as Operation['security'],
        });
      }
    }
    // Literal paths (/api/v1/users/me) must win over templates (/api/v1/users/{id}).
    return operations.sort((a, b) => b.literalSegments - a.literalSegments);
  }
}

function invalid(message: string): RequestProblem {
  return { okta: 'invalid', message };
}

/**
 * Whether Okta's JSON reader, rather than its validation, refuses a body for this schema error: an object
 * or an array where the field takes neither, or the other way round, cannot be read into the field at all
 * (okta-sdk-nodejs#98: objects sent as strings answer E0000003). A null can (the field stays empty and
 * validation has the last word), so can one scalar for another (the reader converts what it can, and
 * validation refuses the rest with E0000001), and so can any value inside a profile, which Okta reads as
 * a free-form map and checks against the profile schema afterwards.
 */
function readerRefuses(error: ErrorObject, body: unknown): boolean {
  if (error.keyword !== 'type') return false;
  const path = error.instancePath.split('/').slice(1);
  if (path.slice(0, -1).includes('profile')) return false;
  const value = valueAt(body, path);
  if (value === null) return false;
  const expected = [error.params.type].flat() as string[];
  const takesStructure = expected.includes('object') || expected.includes('array');
  return takesStructure !== (typeof value === 'object');
}

function jsonType(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

function valueAt(body: unknown, path: string[]): unknown {
  let current = body;
  for (const segment of path) {
    current = (current as Record<string, unknown> | undefined)?.[
      segment.replace(/~1/g, '/').replace(/~0/g, '~')
    ];
  }
  return current;
}

function headerValue(headers: RequestToCheck['headers'], name: string): string | undefined {
  const value = headers?.[name] ?? headers?.[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Operation-level schemas refer to #/components/...; point those at the document added as okta.json. */
function pointRefsAtDocument(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(pointRefsAtDocument);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' && value.startsWith('#/')
        ? `okta.json${value}`
        : pointRefsAtDocument(value),
    ]),
  );
}
