import type { Value } from "../../expressions/types";

/**
 * A HyperLogLog sketch for approx_count_distinct, with Spark's precision rule
 * (p = ceil(2·log2(1.106 / rsd))) and linear counting for small cardinalities.
 * Registers serialise to a number[] (mergeable, stored in the state store).
 */
export class HyperLogLog {
  private readonly m: number;
  private readonly regs: Uint8Array;

  /** Spark's HyperLogLogPlusPlus precision for a relative standard deviation. Throws if rsd > 0.39. */
  static precisionFor(rsd: number): number {
    if (!(rsd > 0 && rsd <= 0.39)) throw new RangeError(`HLL++ requires at least 4 bits for addressing. Use a lower error, at most 39%.`);
    return Math.min(16, Math.max(4, Math.ceil((2 * Math.log(1.106 / rsd)) / Math.log(2))));
  }

  constructor(private readonly p: number) {
    this.m = 1 << p;
    this.regs = new Uint8Array(this.m);
  }

  /** Adds a value (strings, numbers, booleans, structs by their JSON). */
  add(v: Value): void {
    const s = typeof v === "string" ? "s" + v : typeof v === "object" ? "o" + JSON.stringify(v) : typeof v + String(v);
    const h = fmix(hashString(s, 0x9747b28c));
    const idx = h >>> (32 - this.p);
    const rest = (h << this.p) | (1 << (this.p - 1));
    const rho = Math.clz32(rest) + 1;
    if (rho > (this.regs[idx] as number)) this.regs[idx] = rho;
  }

  /** Merges serialised registers of a sketch with the same precision. */
  mergeRegisters(other: readonly number[]): void {
    for (let i = 0; i < this.m && i < other.length; i++) if ((other[i] as number) > (this.regs[i] as number)) this.regs[i] = other[i] as number;
  }

  /** The registers as plain numbers. */
  registers(): number[] {
    return Array.from(this.regs);
  }

  /** The cardinality estimate (rounded). */
  estimate(): number {
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < this.m; i++) {
      const r = this.regs[i] as number;
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const alpha = this.m === 16 ? 0.673 : this.m === 32 ? 0.697 : this.m === 64 ? 0.709 : 0.7213 / (1 + 1.079 / this.m);
    const e = (alpha * this.m * this.m) / sum;
    if (e <= 2.5 * this.m && zeros > 0) return Math.round(this.m * Math.log(this.m / zeros));
    return Math.round(e);
  }
}

function hashString(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
