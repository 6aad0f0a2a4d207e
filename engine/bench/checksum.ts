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

  /** One row's fields for add3/add4: drains run between timed batches, so they make no garbage. */
  private readonly scratch = new Float64Array(4);

  /**
   * Adds one row. The array may be reused for the next row. Drains call add3/add4 instead of
   * building an array per row: its garbage was collected in the timed batches that followed.
   */
  add(fields: ArrayLike<number>): void {
    this.addFields(fields, fields.length);
  }

  /** Adds the row [a, b, c] (the same checksum as `add([a, b, c])`). */
  add3(a: number, b: number, c: number): void {
    const s = this.scratch;
    s[0] = a;
    s[1] = b;
    s[2] = c;
    this.addFields(s, 3);
  }

  /** Adds the row [a, b, c, d]. */
  add4(a: number, b: number, c: number, d: number): void {
    const s = this.scratch;
    s[0] = a;
    s[1] = b;
    s[2] = c;
    s[3] = d;
    this.addFields(s, 4);
  }

  private addFields(fields: ArrayLike<number>, n: number): void {
    let h1 = 0x243f6a88;
    let h2 = 0x85a308d3;
    for (let i = 0; i < n; i++) {
      const v = fields[i] as number;
      const lo = v % 4294967296 >>> 0;
      const hi = Math.floor(v / 4294967296) >>> 0;
      h1 = mix(mix(h1, lo), hi);
      h2 = mix(mix(h2 ^ 0x5bd1e995, hi), lo);
    }
    this.a = (this.a + fmix(h1 ^ n)) >>> 0;
    this.b = (this.b + fmix(h2 + n)) >>> 0;
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
