/** Types for scripts/okta-spec.mjs, which the generator (plain Node) and the tests (TypeScript) share. */
export declare const SPEC_YAML: string;
export declare const SPEC_SOURCE: Record<string, string>;
export declare const OAUTH_SPEC_YAML: string;
export declare const OAUTH_SPEC_SOURCE: Record<string, string>;
interface MendedDocument {
  paths: Record<string, Record<string, unknown>>;
  components: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}
export declare function loadMendedSpec(): MendedDocument;
export declare function loadMendedOAuthSpec(): MendedDocument;
export declare function trimSpec(
  document: unknown,
  operationIds: string[],
  source?: Record<string, string>,
): unknown;
/** A JSON example of a success response, as Okta's description gives it. */
export interface ResponseExample {
  status: number;
  name: string;
  value: unknown;
}
export declare function loadResponseExamples(
  which?: 'management' | 'oauth',
): Record<string, ResponseExample[]>;
