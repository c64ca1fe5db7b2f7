/**
 * Okta-shaped ids: a type prefix (00u users, 00g groups, guo devices, 0oa apps, ...) and base62
 * characters, 20 in all. Seeded, so a sandbox started with the same seed has the same ids.
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export class IdGenerator {
  private state: number;

  constructor(seed = 0x5eed) {
    this.state = seed >>> 0 || 1;
  }

  /** A number in [0, 1), from a small xorshift generator: reproducible, not for secrets. */
  random(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x100000000;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  id(prefix: string, length = 20): string {
    let id = prefix;
    while (id.length < length) id += ALPHABET[Math.floor(this.random() * ALPHABET.length)];
    return id;
  }
}
