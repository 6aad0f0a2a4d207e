import { grown } from "../../util/typedLists";

/**
 * An open-addressing hash table from tuples of numbers (nulls allowed) to dense group
 * ids 0, 1, 2, …, stored in typed arrays: no Map, no string, no object per lookup.
 * Used by partial aggregation when every grouping key is a number or a timestamp.
 */
export class NumericKeyIndex {
  private cap = 1024;
  private gids = new Int32Array(this.cap).fill(-1);
  private keys: Float64Array;
  private nulls: Uint8Array;
  private hashes: Int32Array;
  private count = 0;
  /**
   * Key k of group g at `groupKeys[k][g]` (null where `groupNulls[k]?.[g] === 1`): typed
   * columns, since pushing a batch's groups into JS arrays cost more than grouping them.
   */
  private groupKeys: Float64Array[];
  private groupNulls: (Uint8Array | null)[];

  /** @param expected groups expected (sizes the table to avoid growing) */
  constructor(
    private readonly nk: number,
    expected = 512,
  ) {
    while (this.cap < expected * 2) this.cap *= 2;
    this.gids = new Int32Array(this.cap).fill(-1);
    this.hashes = new Int32Array(this.cap);
    this.keys = new Float64Array(this.cap * nk);
    this.nulls = new Uint8Array(this.cap * nk);
    this.groupKeys = Array.from({ length: nk }, () => new Float64Array(this.cap));
    this.groupNulls = Array.from({ length: nk }, () => null);
  }

  /** Keys of each group, by group id: keyValues[k][g] (views: read them before the index changes). */
  get keyValues(): ArrayLike<number | null>[] {
    const n = this.count;
    return this.groupKeys.map((col, k) => {
      const nulls = this.groupNulls[k];
      if (nulls === null || nulls === undefined) return col.subarray(0, n);
      const out: (number | null)[] = new Array(n);
      for (let g = 0; g < n; g++) out[g] = nulls[g] === 1 ? null : (col[g] as number);
      return out;
    });
  }

  /** Number of groups. */
  get size(): number {
    return this.count;
  }

  /** The group id of the tuple in `tuple[0..nk)`, created if new. */
  groupOf(tuple: Float64Array, isNull: Uint8Array): number {
    const nk = this.nk;
    let h = 0x811c9dc5;
    for (let k = 0; k < nk; k++) {
      if (isNull[k] === 1) {
        h = Math.imul(h ^ 0x9e3779b9, 0x01000193);
        continue;
      }
      const v = tuple[k] as number;
      const lo = v >>> 0;
      const hi = Math.floor(v * 2.3283064365386963e-10) | 0;
      h = Math.imul(h ^ lo, 0x01000193);
      h = Math.imul(h ^ hi, 0x01000193);
    }
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    const mask = this.cap - 1;
    let slot = h & mask;
    for (;;) {
      const g = this.gids[slot] as number;
      if (g === -1) break;
      if (this.hashes[slot] !== h) {
        slot = (slot + 1) & mask;
        continue;
      }
      let same = true;
      const base = slot * nk;
      for (let k = 0; k < nk; k++) {
        const n = isNull[k] as number;
        if (this.nulls[base + k] !== n || (n === 0 && !sameNumber(this.keys[base + k] as number, tuple[k] as number))) {
          same = false;
          break;
        }
      }
      if (same) return g;
      slot = (slot + 1) & mask;
    }
    const g = this.count++;
    this.gids[slot] = g;
    this.hashes[slot] = h;
    const base = slot * nk;
    for (let k = 0; k < nk; k++) {
      this.keys[base + k] = tuple[k] as number;
      this.nulls[base + k] = isNull[k] as number;
      if (isNull[k] === 1) (this.groupNulls[k] ??= new Uint8Array(this.cap))[g] = 1;
      else (this.groupKeys[k] as Float64Array)[g] = tuple[k] as number;
    }
    if (this.count * 2 > this.cap) this.grow();
    return g;
  }

  /**
   * Group ids of rows 0..n-1 of key columns `cols` (nulls where `nullCols[k][i] === 1`) into
   * `out`: the same ids as calling `groupOf` row by row, in one loop (1–2 keys inlined).
   */
  groupsOf(cols: readonly Float64Array[], nullCols: readonly (Uint8Array | null)[], n: number, out: Int32Array): void {
    const nk = this.nk;
    if (nk <= 2 && nullCols.every((c) => c === null)) {
      const c0 = cols[0] as Float64Array;
      const c1 = nk === 2 ? (cols[1] as Float64Array) : c0;
      for (let i = 0; i < n; i++) {
        const v0 = c0[i] as number;
        const v1 = c1[i] as number;
        let h = Math.imul(0x811c9dc5 ^ (v0 >>> 0), 0x01000193);
        h = Math.imul(h ^ (Math.floor(v0 * 2.3283064365386963e-10) | 0), 0x01000193);
        if (nk === 2) {
          h = Math.imul(h ^ (v1 >>> 0), 0x01000193);
          h = Math.imul(h ^ (Math.floor(v1 * 2.3283064365386963e-10) | 0), 0x01000193);
        }
        h ^= h >>> 16;
        h = Math.imul(h, 0x85ebca6b);
        h ^= h >>> 13;
        // Probe for an existing group (no nulls: compare values only).
        const mask = this.cap - 1;
        const gidsT = this.gids;
        const keys = this.keys;
        const hashes = this.hashes;
        let slot = h & mask;
        let found = -1;
        for (;;) {
          const g = gidsT[slot] as number;
          if (g === -1) break;
          if (hashes[slot] === h) {
            const base = slot * nk;
            if (sameNumber(keys[base] as number, v0) && (nk === 1 || sameNumber(keys[base + 1] as number, v1)) && this.nulls[base] === 0 && (nk === 1 || this.nulls[base + 1] === 0)) {
              found = g;
              break;
            }
          }
          slot = (slot + 1) & mask;
        }
        if (found >= 0) {
          out[i] = found;
          continue;
        }
        // A new group, inserted at the free slot the probe ended on (as `groupOf` would).
        const g = this.count++;
        gidsT[slot] = g;
        hashes[slot] = h;
        const base = slot * nk;
        keys[base] = v0;
        this.nulls[base] = 0;
        (this.groupKeys[0] as Float64Array)[g] = v0;
        if (nk === 2) {
          keys[base + 1] = v1;
          this.nulls[base + 1] = 0;
          (this.groupKeys[1] as Float64Array)[g] = v1;
        }
        out[i] = g;
        if (this.count * 2 > this.cap) this.grow();
      }
      return;
    }
    const tuple = new Float64Array(nk);
    const isNull = new Uint8Array(nk);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < nk; k++) {
        const nc = nullCols[k];
        if (nc !== null && nc !== undefined && nc[i] === 1) {
          isNull[k] = 1;
          tuple[k] = 0;
        } else {
          isNull[k] = 0;
          tuple[k] = (cols[k] as Float64Array)[i] as number;
        }
      }
      out[i] = this.groupOf(tuple, isNull);
    }
  }

  private grow(): void {
    const oldCap = this.cap;
    const oldG = this.gids;
    const oldK = this.keys;
    const oldN = this.nulls;
    const oldH = this.hashes;
    const nk = this.nk;
    this.cap = oldCap * 2;
    this.gids = new Int32Array(this.cap).fill(-1);
    this.keys = new Float64Array(this.cap * nk);
    this.nulls = new Uint8Array(this.cap * nk);
    this.hashes = new Int32Array(this.cap);
    // Group columns hold up to cap / 2 groups (the table grows past half full).
    this.groupKeys = this.groupKeys.map((c) => grown(c, this.cap));
    this.groupNulls = this.groupNulls.map((c) => (c === null ? null : grown(c, this.cap)));
    const mask = this.cap - 1;
    // Re-insert every slot at its hash position (group ids and key lists unchanged).
    for (let s = 0; s < oldCap; s++) {
      const g = oldG[s] as number;
      if (g < 0) continue;
      const h = oldH[s] as number;
      let t = h & mask;
      while ((this.gids[t] as number) !== -1) t = (t + 1) & mask;
      this.gids[t] = g;
      this.hashes[t] = h;
      for (let k = 0; k < nk; k++) {
        this.keys[t * nk + k] = oldK[s * nk + k] as number;
        this.nulls[t * nk + k] = oldN[s * nk + k] as number;
      }
    }
  }
}

/** Key equality: NaN groups with NaN (Spark normalizes NaN in grouping keys), -0 with 0. */
function sameNumber(a: number, b: number): boolean {
  return a === b || (a !== a && b !== b);
}
