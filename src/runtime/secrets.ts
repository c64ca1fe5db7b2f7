/** The secrets a connection object carries, found by the manifest's x-secret marks, for redaction. */
import { manifest } from '../manifest/manifest.js';

/**
 * The values of every secret-marked connection field, also for a connection that did not validate, so a
 * malformed connection's token is redacted all the same.
 */
export function rawSecrets(connection: unknown): string[] {
  if (connection === null || typeof connection !== 'object') return [];
  try {
    return Object.entries(connection as Record<string, unknown>)
      .filter(([name, value]) => SECRET_FIELDS.has(name) && typeof value === 'string')
      .map(([, value]) => value as string);
  } catch {
    return []; // an object whose fields cannot be read holds no secret it could show either
  }
}

const SECRET_FIELDS = new Set(
  Object.values(manifest.connections).flatMap((type) =>
    Object.entries((type.schema.properties ?? {}) as Record<string, { 'x-secret'?: boolean }>)
      .filter(([, property]) => property['x-secret'])
      .map(([name]) => name),
  ),
);
