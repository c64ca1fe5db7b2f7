/**
 * The state of one sandbox org. Each resource module keeps its own typed slice (created on first use) and
 * registers what must happen when a user, group, app or device it refers to is deleted. Every change bumps
 * `version`, which invalidates the cached sorted lists that pagination reads.
 */
import { IdGenerator } from './ids.js';
import { SystemLog } from './system-log.js';

export type ResourceKind = 'user' | 'group' | 'app' | 'device';

export class SandboxOrg {
  readonly ids: IdGenerator;
  readonly log: SystemLog;
  /** The org's base URL as clients reach it (for links). Set by the server once it listens. */
  baseUrl = 'http://127.0.0.1';
  version = 0;
  private readonly slices = new Map<string, unknown>();
  private readonly deleteHooks = new Map<ResourceKind, Array<(id: string) => void>>();
  private readonly listCache = new Map<string, { version: number; items: unknown[] }>();

  constructor(seed?: number) {
    this.ids = new IdGenerator(seed);
    this.log = new SystemLog(this.ids);
  }

  /** A resource module's own state, created on first use. */
  slice<T>(name: string, create: (org: SandboxOrg) => T): T {
    let slice = this.slices.get(name) as T | undefined;
    if (slice === undefined) {
      slice = create(this);
      this.slices.set(name, slice);
    }
    return slice;
  }

  /** Runs when a resource is deleted, so other slices drop what refers to it (memberships, assignments). */
  onDelete(kind: ResourceKind, hook: (id: string) => void): void {
    const hooks = this.deleteHooks.get(kind) ?? [];
    hooks.push(hook);
    this.deleteHooks.set(kind, hooks);
  }

  deleted(kind: ResourceKind, id: string): void {
    for (const hook of this.deleteHooks.get(kind) ?? []) hook(id);
    this.changed();
  }

  changed(): void {
    this.version += 1;
  }

  /** A sorted list computed once per org version (a 100,000-user list is paged 500 times). */
  cachedList<T>(key: string, compute: () => T[]): T[] {
    const cached = this.listCache.get(key);
    if (cached && cached.version === this.version) return cached.items as T[];
    const items = compute();
    if (this.listCache.size > 64) this.listCache.clear();
    this.listCache.set(key, { version: this.version, items });
    return items;
  }

  now(): string {
    return new Date().toISOString();
  }
}
