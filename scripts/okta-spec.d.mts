/** Types for scripts/okta-spec.mjs, which the generator (plain Node) and the tests (TypeScript) share. */
export declare const SPEC_YAML: string;
export declare const SPEC_SOURCE: Record<string, string>;
export declare function loadMendedSpec(): {
  paths: Record<string, Record<string, unknown>>;
  components: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
};
export declare function trimSpec(document: unknown, operationIds: string[]): unknown;
