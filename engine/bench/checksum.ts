/**
 * An order-independent checksum over result rows of numbers: each row is hashed
 * (two independent 32-bit lanes over the fields in order), and the lanes are summed
 * modulo 2^32, so any permutation of the same multiset of rows gives the same value.
 * Numbers must be integral (times in ms, keys, counts); ±0 and values up to 2^53 are fine.
 */
export class Checksum {
  rows = 0;
  private a = 0;
  private b = 0;

  /** Adds one row. */
  add(fields: readonly number[]): void {
    let h1 = 0x243f6a88;
    let h2 = 0x85a308d3;
    for (let i = 0; i < fields.length; i++) {
      const v = fields[i] as number;
      const lo = v % 4294967296 >>> 0;
      const hi = Math.floor(v / 4294967296) >>> 0;
      h1 = mix(mix(h1, lo), hi);
      h2 = mix(mix(h2 ^ 0x5bd1e995, hi), lo);
    }
    this.a = (this.a + fmix(h1 ^ fields.length)) >>> 0;
    this.b = (this.b + fmix(h2 + fields.length)) >>> 0;
    this.rows++;
  }

  /** `rows:hex16`, e.g. "1234:0a1b2c3d4e5f6071". */
  value(): string {
    return `${this.rows}:${hex(this.a)}${hex(this.b)}`;
  }
}

function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hex(x: number): string {
  return x.toString(16).padStart(8, "0");
}
