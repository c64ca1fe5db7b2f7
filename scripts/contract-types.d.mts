/** Types for scripts/contract-types.mjs, which the generator (plain Node) and the tests (TypeScript) share. */
type Schema = Record<string, unknown>;
export declare function sharedTypeName(key: string): string;
export declare function sharedTypesModule(
  definitions: Record<string, Schema>,
  options: { banner: string },
): Promise<string>;
export declare function actionTypesFile(
  contract: { key: string; input: Schema; output: Schema },
  definitions: Record<string, Schema>,
  options: { banner: string; sharedModule: string },
): Promise<string>;
export declare function triggerTypesModule(
  triggers: { key: string; input: Schema; output: Schema }[],
  definitions: Record<string, Schema>,
  options: { banner: string; sharedModule: string },
): Promise<string>;
