import { grown, IntList, type IdSink } from "../util/typedLists";
import { TypedArrayPool, type Ctor, type PooledArray } from "../util/typedArrayPool";

/**
 * Entry arrays of released tables (a deleted checkpoint's state), taken by tables that grow:
 * a new query's table reaches tens of megabytes in its first batches, and fresh memory costs
 * more in page faults than those batches' rows cost work.
 */
export const stateArrayPool = new TypedArrayPool(64 << 20);

/**
 * An array of `ctor` with at least `n` elements, `old`'s first `keep` copied, the rest zero
 * where `zero` (else whatever a pooled array held): from the pool when it has one.
 */
function regrow<T extends PooledArray>(ctor: Ctor<T>, old: T, n: number, keep: number, zero: boolean): T {
  const pooled = stateArrayPool.take(ctor, n);
  const a: PooledArray = pooled ?? new ctor(n);
  if (keep > 0) a.set(keep === old.length ? old : old.subarray(0, keep));
  if (pooled !== undefined && zero) a.fill(0, keep);
  return a as T;
}

/**
 * A hash table of numeric keys to numeric values held in typed arrays: entry e is a record
 * in `data` (key, value, version stamp; null flags of the key in `keyNulls`).
 * Values are updated in place, so a batch that touches a group allocates nothing for it
 * (the tuple-per-key map, TupleMap, allocates a key tuple and a value array per group per
 * batch and pins the old ones in its undo log: the young-generation GC then copies the
 * state over and over; this is what issue 9's profiles found).
 *
 * Versions: every change is recorded in the open undo log — the previous value of an entry
 * the first time a version writes it, entries inserted, entries removed — so a version can be
 * rolled back (abort, or a restart that re-runs a batch). Entry ids stay stable while an
 * entry lives; a removed entry's id (and data) is reused only after every undo log that
 * mentions it is dropped, so an operator may still read a removed entry in the same batch.
 *
 * Hashing: open addressing over each partition's slots (entry id + 1 and hash; 0 = free),
 * linear probing, backward-shift deletion; the same mixing as NumericKeyIndex. A table may be
 * partitioned by a time in its key (see the constructor); else it has one partition.
 *
 * Dense partitions: where no two keys of a partition share the integer in one slot
 * (`denseSlot`: a window's count by an integer id, whose partition holds one window) and those
 * integers span a range not much wider than their number, the partition indexes its entries by
 * that integer (`dense[k − lo]` = entry id + 1) instead of hashing: one read finds an entry and
 * a comparison with its key confirms it, where a probe reads a slot and then the entry (two
 * cache misses in a table of 1e5 keys). A hashed partition that proves dense when it grows
 * turns dense, and later partitions start dense over its range; a key that does not fit (its
 * integer taken by another key, a null, a fraction, far out of range) turns its partition back
 * to hashing.
 */
export class NumericStateTable {
  /** Key slots per entry. */
  readonly kw: number;
  /** Value slots per entry. */
  readonly vw: number;
  /** Doubles per entry record: its key, its value, the stamp of its last logged version. */
  readonly stride: number;
  /**
   * The entry records: entry e's key at `data[e*stride .. +kw)`, its value right after
   * (`valueOffset(e)`), then a version stamp — one record per entry, so a probe that finds
   * an entry and the write that follows touch one cache line. Reallocated when the table
   * grows: read it again after `insert`.
   */
  data: Float64Array;
  keyNulls: Uint8Array;
  /**
   * 1 while the entry is in the table; once out of it while an undo log may bring it back,
   * 2 (removed) or 3 (dropped with its partition); 0 when free.
   */
  alive: Uint8Array;
  private hashes: Int32Array;
  /** The partition of each entry (its id). */
  private partOf: Int32Array;
  private entryCap: number;
  /** Entries ever allocated (ids below are alive or free). */
  private highWater = 0;
  /** Free entry ids, used as a stack. */
  private readonly free = new IntList();
  private count = 0;
  private stamp = 1;
  private log: UndoLog;
  /** Whether a key with a null part was ever inserted (then `findNoNulls` checks null flags). */
  private everNull = false;
  private readonly zeroNulls: Uint8Array;
  /** Key slot that picks an entry's partition (−1: one partition), and the partition width. */
  readonly partitionSlot: number;
  private readonly pwidth: number;
  private readonly parts: (Partition | undefined)[] = [];
  private readonly byValue = new Map<number, Partition>();
  /**
   * The last 8 partitions looked up, searched in turn before the map: rows come roughly in
   * time order, and a sliding window's rows touch a few consecutive windows in turn, each
   * its own partition. (Slotted by value mod 8, the windows of a 1-minute slide all took
   * slot 0 — 60,000 ms is a multiple of 8 — and every probe went to the map.) A detached
   * partition leaves it; it is emptied when one is re-attached.
   */
  private readonly recentParts: (Partition | null)[] = [null, null, null, null, null, null, null, null];
  /** The slot of `recentParts` the next partition missing from it takes. */
  private recentNext = 0;
  /** The slot of `recentParts` that answered the last lookup. */
  private recentHit = 0;
  /** Slots a new partition starts with: sized like the largest partition dropped so far. */
  private partitionSlots = 64;
  /** Key slot by which a dense partition indexes its entries, or −1 (always hash). */
  readonly denseSlot: number;
  /** The range new partitions start dense over (that of the last partition that turned dense or grew); length 0: start hashed. */
  private denseHintLo = 0;
  private denseHintLen = 0;
  /** Dense partitions turned back to hashing: past a few, new partitions stop trying. */
  private denseMisses = 0;
  /** Dense indexes of dropped partitions, reused (zeroed) by new ones of the same length. */
  private readonly spareDense: Int32Array[] = [];
  /** An entry's key and null flags, copied out to hash it. */
  private readonly entryKey: Float64Array;
  private readonly entryNulls: Uint8Array;

  /**
   * @param partitionBy split the table by `floor(key[slot] / width)` (an event time, a window
   *   end): each partition has its own hash slots, so a probe stays within one time range and
   *   expired state goes in one `dropPartition` instead of one removal per entry.
   * @param denseSlot key slot (not the partition's) that a partition may index densely (see
   *   the class comment); −1: hash every partition.
   */
  constructor(keyWidth: number, valueWidth: number, expected = 1024, partitionBy?: { readonly slot: number; readonly width: number }, denseSlot = -1) {
    this.kw = keyWidth;
    this.vw = valueWidth;
    this.stride = keyWidth + valueWidth + 1;
    let cap = 1024;
    while (cap < expected) cap *= 2;
    this.entryCap = cap;
    this.data = new Float64Array(cap * this.stride);
    this.keyNulls = new Uint8Array(cap * keyWidth);
    this.alive = new Uint8Array(cap);
    this.hashes = new Int32Array(cap);
    this.partOf = new Int32Array(cap);
    this.marks = new Int32Array(cap);
    this.log = new UndoLog(valueWidth);
    this.zeroNulls = new Uint8Array(keyWidth);
    this.partitionSlot = partitionBy?.slot ?? -1;
    this.pwidth = partitionBy?.width ?? 1;
    if (this.partitionSlot < 0) this.partitionSlots = cap * 2;
    this.denseSlot = denseSlot >= 0 && denseSlot < keyWidth && denseSlot !== this.partitionSlot ? denseSlot : -1;
    this.entryKey = new Float64Array(keyWidth);
    this.entryNulls = new Uint8Array(keyWidth);
  }

  /** Whether a key with a null part was ever inserted (else every null flag is 0). */
  get hasNullKeys(): boolean {
    return this.everNull;
  }

  /** Live entries. */
  get size(): number {
    return this.count;
  }

  /** Offset of entry e's key in `data`. */
  keyOffset(e: number): number {
    return e * this.stride;
  }

  /** Offset of entry e's value in `data`. */
  valueOffset(e: number): number {
    return e * this.stride + this.kw;
  }

  /** Bytes held by the typed arrays. */
  byteSize(): number {
    let slots = 0;
    for (const p of this.byValue.values()) slots += p.slots.length * 4 + (p.dense === null ? 0 : p.dense.length * 4);
    return this.entryCap * (this.stride * 8 + this.kw + 1 + 8) + slots + this.log.byteSize();
  }

  /**
   * Hash of the key in `key[0..kw)` / `nulls[0..kw)` (every slot: a partition shares
   * floor(time / width), not the time itself).
   */
  hashOf(key: Float64Array, nulls: Uint8Array): number {
    let h = 0x811c9dc5;
    for (let k = 0; k < this.kw; k++) {
      if (nulls[k] === 1) {
        h = Math.imul(h ^ 0x9e3779b9, 0x01000193);
        continue;
      }
      h = mixNumber(h, key[k] as number);
    }
    return finishHash(h);
  }

  /** The partition value of a key (NaN for a null partition key: it never expires). */
  private partitionValue(key: Float64Array, nulls: Uint8Array): number {
    const ps = this.partitionSlot;
    if (ps < 0) return 0;
    return nulls[ps] === 1 ? NaN : Math.floor((key[ps] as number) / this.pwidth);
  }

  private partitionFor(key: Float64Array, nulls: Uint8Array, create: boolean): Partition | undefined {
    const v = this.partitionValue(key, nulls);
    const recentParts = this.recentParts;
    // The slot that answered last first (a tumbling window's rows probe one partition in a
    // row), then its neighbours outwards: a sliding window's pane updates its windows by
    // descending end, each the partition made before the last one's (−1, then +1, −2, +2, …).
    const last = this.recentHit;
    for (let k = 0; k < 8; k++) {
      const i = (last + (k & 1 ? -((k + 1) >> 1) : k >> 1)) & 7;
      const recent = recentParts[i] as Partition | null;
      if (recent !== null && (recent.value === v || (v !== v && recent.value !== recent.value))) {
        this.recentHit = i;
        return recent;
      }
    }
    let p = this.byValue.get(v);
    if (p === undefined && create) {
      // Dense over the range of the last dense partition, when there was one.
      const dense = this.denseHintLen > 0;
      p = new Partition(this.parts.length, v, dense ? 0 : this.partitionSlots, this.newMembers(), dense ? NO_SLOTS : this.newSlots());
      this.parts.push(p);
      this.byValue.set(v, p);
    }
    if (p !== undefined) {
      recentParts[this.recentNext] = p;
      this.recentHit = this.recentNext;
      this.recentNext = (this.recentNext + 1) & 7;
    }
    return p;
  }

  /** The entry with the key in `key` / `nulls`, or −1. `h` is `hashOf(key, nulls)`. */
  find(key: Float64Array, nulls: Uint8Array, h: number): number {
    const p = this.partitionFor(key, nulls, false);
    if (p === undefined) return -1;
    // A dense partition holds no key with a null.
    if (!p.hashed) return hasNull(nulls, this.kw) ? -1 : this.denseFind(p, key);
    const kw = this.kw;
    const stride = this.stride;
    const slots = p.slots;
    const data = this.data;
    const keyNulls = this.keyNulls;
    const mask = p.mask;
    let s = h & mask;
    for (;;) {
      const id = slots[2 * s] as number;
      if (id === 0) return -1;
      if (slots[2 * s + 1] === h) {
        const e = id - 1;
        const base = e * stride;
        const nbase = e * kw;
        let same = true;
        for (let k = 0; k < kw; k++) {
          const n = nulls[k] as number;
          if (keyNulls[nbase + k] !== n) {
            same = false;
            break;
          }
          if (n === 0) {
            const a = data[base + k] as number;
            const b = key[k] as number;
            // NaN groups with NaN, as Spark normalizes it in grouping keys.
            if (a !== b && !(a !== a && b !== b)) {
              same = false;
              break;
            }
          }
        }
        if (same) return e;
      }
      s = (s + 1) & mask;
    }
  }

  /**
   * `find` for a key without nulls (the caller knows), comparing fewer things while no key
   * with a null was ever stored.
   */
  findNoNulls(key: Float64Array, h: number): number {
    if (this.everNull) return this.find(key, this.zeroNulls, h);
    const p = this.partitionFor(key, this.zeroNulls, false);
    if (p === undefined) return -1;
    if (!p.hashed) return this.denseFind(p, key);
    const slots = p.slots;
    const mask = p.mask;
    let s = h & mask;
    for (;;) {
      const id = slots[2 * s] as number;
      if (id === 0) return -1;
      if (slots[2 * s + 1] === h && this.sameKey(id - 1, key)) return id - 1;
      s = (s + 1) & mask;
    }
  }

  /** Whether the last `findOrInsertNoNulls` inserted. */
  inserted = false;

  /**
   * The entry of a key without nulls, inserted (value zero, logged) when absent — one probe
   * for both (`inserted` tells which happened).
   */
  findOrInsertNoNulls(key: Float64Array, h: number): number {
    if (this.everNull) {
      const e = this.find(key, this.zeroNulls, h);
      this.inserted = e < 0;
      return e >= 0 ? e : this.insert(key, this.zeroNulls, h);
    }
    const p = this.partitionFor(key, this.zeroNulls, true) as Partition;
    if (!p.hashed) {
      const e = this.denseFindOrInsert(p, key, h);
      if (e >= 0) return e;
      // The key did not fit: p hashes now.
    }
    const slots = p.slots;
    const mask = p.mask;
    let s = h & mask;
    for (;;) {
      const id = slots[2 * s] as number;
      if (id === 0) break;
      if (slots[2 * s + 1] === h && this.sameKey(id - 1, key)) {
        this.inserted = false;
        return id - 1;
      }
      s = (s + 1) & mask;
    }
    this.inserted = true;
    // Slot s is free: the new entry goes there (as link would put it).
    const e = this.newEntry(key, this.zeroNulls, h, p);
    slots[2 * s] = e + 1;
    slots[2 * s + 1] = h;
    this.afterInsert(p, e);
    return e;
  }

  /**
   * `findOrInsertNoNulls`, hashing the key only when its partition hashes (a dense
   * partition finds the entry by the key's integer).
   */
  findOrInsertKey(key: Float64Array): number {
    if (!this.everNull) {
      const p = this.partitionFor(key, this.zeroNulls, true) as Partition;
      if (!p.hashed) {
        // A dense entry's hash is computed if its partition ever hashes (toHashed).
        const e = this.denseFindOrInsert(p, key, 0);
        if (e >= 0) return e;
      }
    }
    return this.findOrInsertNoNulls(key, this.hashOf(key, this.zeroNulls));
  }

  /**
   * Adds a new entry with the key in `key` / `nulls` (not present: call `find` first); its
   * value slots are zero. Returns its id. Recorded in the undo log.
   */
  insert(key: Float64Array, nulls: Uint8Array, h: number): number {
    const p = this.partitionFor(key, nulls, true) as Partition;
    if (!p.hashed) {
      const o = hasNull(nulls, this.kw) ? -1 : this.denseRoom(p, key);
      if (o >= 0) return this.denseInsertAt(p, key, h, o);
      this.toHashed(p);
    }
    const e = this.newEntry(key, nulls, h, p);
    link(p, e, h);
    this.afterInsert(p, e);
    return e;
  }

  /** Entry id + 1 at the integer of `key` in dense partition p; 0 when none (or it is out of range, or not an integer). */
  private denseIdOf(p: Partition, key: Float64Array): number {
    const d = p.dense;
    if (d === null) return 0;
    const o = (key[this.denseSlot] as number) - p.lo;
    return o >= 0 && o < d.length && (o | 0) === o ? (d[o] as number) : 0;
  }

  /** The entry of a key without nulls in dense partition p, or −1. */
  private denseFind(p: Partition, key: Float64Array): number {
    const id = this.denseIdOf(p, key);
    return id !== 0 && this.sameKey(id - 1, key) ? id - 1 : -1;
  }

  /** Whether entry e's key (without nulls) is the one in `key` (NaN equal to NaN, as grouping has it). */
  private sameKey(e: number, key: Float64Array): boolean {
    const base = e * this.stride;
    const data = this.data;
    for (let k = 0; k < this.kw; k++) {
      const a = data[base + k] as number;
      const b = key[k] as number;
      if (a !== b && !(a !== a && b !== b)) return false;
    }
    return true;
  }

  /**
   * `findOrInsertNoNulls` in dense partition p; −1 when the key does not fit a dense
   * partition (p hashes then: probe it).
   */
  private denseFindOrInsert(p: Partition, key: Float64Array, h: number): number {
    const id = this.denseIdOf(p, key);
    if (id !== 0) {
      if (this.sameKey(id - 1, key)) {
        this.inserted = false;
        return id - 1;
      }
      // Another key with the same integer (another window of the same end, say).
      this.toHashed(p);
      return -1;
    }
    const o = this.denseRoom(p, key);
    if (o < 0) {
      this.toHashed(p);
      return -1;
    }
    this.inserted = true;
    return this.denseInsertAt(p, key, h, o);
  }

  /** A new entry for a key without nulls at offset o (free) of dense partition p's index. */
  private denseInsertAt(p: Partition, key: Float64Array, h: number, o: number): number {
    const e = this.newEntry(key, this.zeroNulls, h, p);
    (p.dense as Int32Array)[o] = e + 1;
    this.afterInsert(p, e);
    return e;
  }

  /**
   * The offset in dense partition p's index where a new key without nulls goes (extending
   * the index when needed), or −1 when it does not fit: its dense slot not an integer, its
   * offset taken by another key, or its range too wide for the entries it would hold.
   */
  private denseRoom(p: Partition, key: Float64Array): number {
    const k = key[this.denseSlot] as number;
    if (!isDenseInteger(k)) return -1;
    if (p.dense === null) {
      const len = this.denseHintLen > 0 ? this.denseHintLen : 1024;
      const lo = this.denseHintLen > 0 ? this.denseHintLo : k;
      p.dense = this.newDense(len);
      p.lo = lo;
    }
    let o = k - p.lo;
    if (o < 0 || o >= p.dense.length) {
      if (!this.extendDense(p, k)) return -1;
      o = k - p.lo;
    }
    return p.dense[o] === 0 ? o : -1;
  }

  /** The widest range a dense partition of `count` entries may index. */
  private denseLimit(count: number): number {
    return Math.max(4 * count, 2 * this.denseHintLen, 4096);
  }

  /** Widens dense partition p's index to hold integer k; false when the range would be too wide. */
  private extendDense(p: Partition, k: number): boolean {
    const old = p.dense as Int32Array;
    const lo = Math.min(p.lo, k);
    const hi = Math.max(p.lo + old.length, k + 1);
    const limit = this.denseLimit(p.count + 1);
    if (hi - lo > limit) return false;
    const len = Math.min(Math.max(hi - lo, old.length * 2), limit);
    // Room on the side k came from.
    const newLo = k < p.lo ? hi - len : p.lo;
    const d = this.newDense(len);
    d.set(old, p.lo - newLo);
    this.recycleDense(old);
    this.setDense(p, d, newLo);
    return true;
  }

  /** Gives partition p the dense index d from `lo`; new partitions start over the widest range seen. */
  private setDense(p: Partition, d: Int32Array, lo: number): void {
    p.dense = d;
    p.lo = lo;
    if (d.length > this.denseHintLen) {
      this.denseHintLo = lo;
      this.denseHintLen = d.length;
    }
  }

  /** Turns dense partition p to hashing (every member's hash computed: a dense entry's was never needed). */
  private toHashed(p: Partition): void {
    const members = this.compact(p);
    const hashes = this.hashes;
    for (let i = 0; i < members.length; i++) {
      const e = members[i] as number;
      hashes[e] = this.hashOfEntry(e);
    }
    // Room for the removed members too: a rollback links them again, and `link` needs a free slot.
    let n = 64;
    while (n < p.count * 4 || n <= 2 * members.length) n *= 2;
    p.slots = new Int32Array(n * 2);
    p.mask = n - 1;
    p.hashed = true;
    if (p.dense !== null) this.recycleDense(p.dense);
    p.dense = null;
    const alive = this.alive;
    for (let i = 0; i < members.length; i++) {
      const e = members[i] as number;
      if (alive[e] === 1) link(p, e, hashes[e] as number);
    }
    // Keys that keep missing the dense range: stop starting partitions dense.
    if (++this.denseMisses > 8) this.denseHintLen = 0;
  }

  /**
   * Turns hashed partition p dense when its keys (those an undo log may bring back too) have
   * no null and distinct integers in the dense slot, over a range at most 4 times their
   * number. Returns whether it did.
   */
  private toDense(p: Partition): boolean {
    const ds = this.denseSlot;
    if (ds < 0 || p.notDense) return false;
    const members = this.compact(p);
    const data = this.data;
    const stride = this.stride;
    const kw = this.kw;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < members.length; i++) {
      const e = members[i] as number;
      if (this.everNull) for (let k = 0; k < kw; k++) if (this.keyNulls[e * kw + k] === 1) return notDense(p);
      const v = data[e * stride + ds] as number;
      if (!isDenseInteger(v)) return notDense(p);
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (members.length === 0 || max - min + 1 > 4 * p.count) return false;
    // Ids from near 0 are common: index from 0 then, for the ids below the first seen.
    const lo = min >= 0 && min < (max - min + 1) / 2 ? 0 : min;
    const len = max - lo + 1 + ((max - lo + 1) >> 3);
    const d = this.newDense(len);
    // Every member, removed ones too (a rollback links them again), needs its own offset.
    for (let i = 0; i < members.length; i++) {
      const e = members[i] as number;
      const o = (data[e * stride + ds] as number) - lo;
      if (d[o] !== 0) {
        this.recycleDense(d);
        return notDense(p);
      }
      d[o] = e + 1;
    }
    const alive = this.alive;
    for (let i = 0; i < members.length; i++) {
      const e = members[i] as number;
      if (alive[e] !== 1) d[(data[e * stride + ds] as number) - lo] = 0;
    }
    if (p.slots.length === this.partitionSlots * 2 && this.spareSlots.length < 4) this.spareSlots.push(p.slots);
    p.slots = NO_SLOTS;
    p.mask = -1;
    p.hashed = false;
    this.setDense(p, d, lo);
    return true;
  }

  /** The hash of entry e's key (`hashOf` of its key and null flags). */
  private hashOfEntry(e: number): number {
    const kw = this.kw;
    const key = this.entryKey;
    const nulls = this.entryNulls;
    for (let k = 0; k < kw; k++) {
      key[k] = this.data[e * this.stride + k] as number;
      nulls[k] = this.everNull ? (this.keyNulls[e * kw + k] as number) : 0;
    }
    return this.hashOf(key, nulls);
  }

  private newDense(len: number): Int32Array {
    for (let i = this.spareDense.length - 1; i >= 0; i--) {
      const a = this.spareDense[i] as Int32Array;
      if (a.length !== len) continue;
      this.spareDense.splice(i, 1);
      return a.fill(0);
    }
    return new Int32Array(len);
  }

  private recycleDense(d: Int32Array): void {
    if (this.spareDense.length < 4) this.spareDense.push(d);
  }

  /** Puts entry e (in partition p) back where lookups find it. */
  private linkEntry(p: Partition, e: number): void {
    if (p.hashed) link(p, e, this.hashes[e] as number);
    else (p.dense as Int32Array)[(this.data[e * this.stride + this.denseSlot] as number) - p.lo] = e + 1;
  }

  /** Takes entry e (in partition p) out of where lookups find it. */
  private unlinkEntry(p: Partition, e: number): void {
    if (p.hashed) {
      unlink(p, e, this.hashes[e] as number);
      return;
    }
    const d = p.dense as Int32Array;
    const o = (this.data[e * this.stride + this.denseSlot] as number) - p.lo;
    if (d[o] === e + 1) d[o] = 0;
  }

  /** A new entry's record (key, zero value, stamp), not yet in its partition's slots. */
  private newEntry(key: Float64Array, nulls: Uint8Array, h: number, p: Partition): number {
    if (this.free.length === 0 && this.highWater === this.entryCap) this.growEntries();
    const e = this.free.length > 0 ? this.free.pop() : this.highWater++;
    const kw = this.kw;
    const base = e * this.stride;
    const data = this.data;
    for (let k = 0; k < kw; k++) {
      const isNull = nulls[k] as number;
      data[base + k] = isNull === 1 ? 0 : (key[k] as number);
      if (isNull === 1) this.everNull = true;
      // While no key ever had a null, every null flag is 0 already (one array less to touch per insert).
      if (this.everNull) this.keyNulls[e * kw + k] = isNull;
    }
    for (let j = kw; j < this.stride - 1; j++) data[base + j] = 0;
    data[base + this.stride - 1] = this.stamp;
    this.hashes[e] = h;
    this.alive[e] = 1;
    this.partOf[e] = p.id;
    if (p.size === p.members.length) p.members = grown(p.members, p.members.length * 2);
    p.members[p.size++] = e;
    return e;
  }

  /** Counts a new entry linked into partition p; grows or compacts p; logs the insert. */
  private afterInsert(p: Partition, e: number): void {
    p.count++;
    this.count++;
    if (p.hashed && p.count * 2 > p.mask) this.growSlots(p);
    else if (p.size > 2 * p.count + 1024) this.compact(p);
    this.log.push(INSERTED, e);
  }

  /**
   * Records entry e's value in the undo log before the first write of this version. Call
   * before writing e's value. Returns whether this is the version's first write of e
   * (false also for an entry inserted in this version).
   */
  willWrite(e: number): boolean {
    const at = e * this.stride + this.stride - 1;
    if (this.data[at] === this.stamp) return false;
    this.data[at] = this.stamp;
    this.log.pushUpdate(e, this.data, e * this.stride + this.kw);
    return true;
  }

  /** Removes entry e from the table (its data stays readable until its id is reused, after this version's undo log is dropped). */
  remove(e: number): void {
    if (this.alive[e] !== 1) return;
    const p = this.parts[this.partOf[e] as number] as Partition;
    this.unlinkEntry(p, e);
    p.count--;
    this.alive[e] = 2;
    this.count--;
    this.log.push(REMOVED, e);
  }

  /** Partitions in use that find their entries by a dense index (for tests and metrics). */
  densePartitions(): number {
    let n = 0;
    for (const p of this.byValue.values()) if (!p.hashed) n++;
    return n;
  }

  /** The partition values in use (for a partitioned table: the time ranges held), in no order. */
  partitionValues(): number[] {
    return [...this.byValue.keys()];
  }

  /** The live entries of partition `value`. */
  partitionEntries(value: number): number[] {
    const p = this.byValue.get(value);
    if (p === undefined) return [];
    const out: number[] = [];
    for (const e of this.compact(p)) if (this.alive[e] === 1) out.push(e);
    return out;
  }

  /**
   * Removes every entry of partition `value` at once (as `remove` would, each); appends their
   * ids to `out` when given. Returns how many.
   */
  dropPartition(value: number, out?: IdSink): number {
    const p = this.byValue.get(value);
    if (p === undefined) return 0;
    this.byValue.delete(value);
    const at = this.recentParts.indexOf(p);
    if (at >= 0) this.recentParts[at] = null;
    // One undo record for the partition: its members marked 3 are the entries it dropped.
    this.log.push(PARTITION_DROPPED, p.id);
    let n = 0;
    const alive = this.alive;
    const members = this.compact(p);
    for (let i = 0; i < members.length; i++) {
      const e = members[i] as number;
      if (alive[e] !== 1) continue;
      alive[e] = 3;
      if (out !== undefined) out.push(e);
      n++;
    }
    this.count -= n;
    if (p.hashed) this.partitionSlots = Math.max(this.partitionSlots, Math.min(1 << 22, p.mask + 1));
    return n;
  }

  /**
   * Removes every entry whose partition key (`key[partitionSlot]`) is ≤ `limit` (a watermark);
   * appends their ids to `out` when given. Partitions wholly below it go at once; the one the
   * limit falls in is checked entry by entry (unless all of it is below). Entries with a null
   * partition key never go. Returns how many were removed.
   */
  removeUpTo(limit: number, out?: IdSink): number {
    const slot = this.partitionSlot;
    if (slot < 0) return 0;
    const width = this.pwidth;
    let removed = 0;
    for (const v of [...this.byValue.keys()]) {
      if (!(v * width <= limit)) continue;
      if ((v + 1) * width <= limit) {
        removed += this.dropPartition(v, out);
        continue;
      }
      const entries = this.partitionEntries(v);
      let below = 0;
      for (const e of entries) if ((this.data[e * this.stride + slot] as number) <= limit) below++;
      if (below === entries.length) {
        removed += this.dropPartition(v, out);
        continue;
      }
      for (const e of entries) {
        if ((this.data[e * this.stride + slot] as number) > limit) continue;
        this.remove(e);
        if (out !== undefined) out.push(e);
        removed++;
      }
    }
    return removed;
  }

  /** Ends the open version: returns its undo log and starts a new one. */
  takeLog(): UndoLog {
    const log = this.log;
    this.log = this.spareLog ?? new UndoLog(this.vw);
    this.spareLog = null;
    this.stamp++;
    return log;
  }

  /** A dropped log's arrays, reused by the next version (a version's log is about as large as the last one's). */
  private spareLog: UndoLog | null = null;

  /** Turns the table back to before `log` (newest change first). */
  rollBack(log: UndoLog): void {
    const vw = this.vw;
    let o = log.nOld;
    for (let i = log.n - 1; i >= 0; i--) {
      const op = log.ops[i] as number;
      const e = log.entries[i] as number;
      if (op === UPDATED) {
        o -= vw;
        this.data.set(log.olds.subarray(o, o + vw), e * this.stride + this.kw);
      } else if (op === INSERTED) {
        if (this.alive[e] === 1) {
          const p = this.parts[this.partOf[e] as number] as Partition;
          this.unlinkEntry(p, e);
          p.count--;
          this.count--;
        }
        this.freeEntry(e);
      } else if (op === REMOVED) {
        if (this.alive[e] === 2) {
          const p = this.parts[this.partOf[e] as number] as Partition;
          this.linkEntry(p, e);
          p.count++;
          this.alive[e] = 1;
          this.count++;
        }
      } else {
        // A dropped partition comes back with the entries it dropped (still in its slots).
        const p = this.parts[e] as Partition;
        for (const m of this.compact(p)) {
          if (this.alive[m] !== 3) continue;
          this.alive[m] = 1;
          this.count++;
        }
        this.byValue.set(p.value, p);
        this.recentParts.fill(null);
      }
    }
    // Entries now written by the next version must be logged again.
    this.stamp++;
  }

  /** Forgets an undo log: the entries it removed can be reused. */
  drop(log: UndoLog): void {
    for (let i = 0; i < log.n; i++) {
      const op = log.ops[i] as number;
      const e = log.entries[i] as number;
      if (op === REMOVED && this.alive[e] === 2) {
        this.freeEntry(e);
      } else if (op === PARTITION_DROPPED) {
        const p = this.parts[e] as Partition;
        const members = this.compact(p);
        const alive = this.alive;
        for (let i = 0; i < members.length; i++) {
          const m = members[i] as number;
          if (alive[m] !== 3) continue;
          alive[m] = 0;
          this.free.push(m);
        }
        this.parts[e] = undefined;
        if (this.spareMembers.length < 4) this.spareMembers.push(p.members);
        // Its slots serve a later partition of the same size (a fresh array of a megabyte costs page faults).
        if (this.spareSlots.length < 4 && p.hashed && p.slots.length === this.partitionSlots * 2) this.spareSlots.push(p.slots);
        if (p.dense !== null) this.recycleDense(p.dense);
      }
    }
    log.n = 0;
    log.nOld = 0;
    this.spareLog = log;
  }

  /** Discards the changes since the last `takeLog`. */
  rollBackOpen(): void {
    const log = this.takeLog();
    this.rollBack(log);
  }

  /** Calls `f` with every live entry id, in id order. */
  forEachEntry(f: (e: number) => void): void {
    const alive = this.alive;
    for (let e = 0; e < this.highWater; e++) if (alive[e] === 1) f(e);
  }

  /** The live entry ids, in id order. */
  liveEntries(): Int32Array {
    const out = new Int32Array(this.count);
    let n = 0;
    const alive = this.alive;
    for (let e = 0; e < this.highWater; e++) if (alive[e] === 1) out[n++] = e;
    return out;
  }

  /**
   * The partition's members without those that left it (freed, or reused in another
   * partition) and without repeats (an id freed and reused in the same partition is listed
   * twice); stored back. Removed entries an undo log may bring back stay.
   */
  private compact(p: Partition): Int32Array {
    // Nothing left the partition since it was last compacted: its list is exact.
    if (!p.dirty) return p.members.subarray(0, p.size);
    const mark = ++this.markStamp;
    const members = p.members;
    let n = 0;
    // In place: no second array of (often) tens of thousands of ids.
    for (let i = 0; i < p.size; i++) {
      const e = members[i] as number;
      if (this.alive[e] === 0 || this.partOf[e] !== p.id || this.marks[e] === mark) continue;
      this.marks[e] = mark;
      members[n++] = e;
    }
    p.size = n;
    p.dirty = false;
    return members.subarray(0, n);
  }

  /** Member lists of discarded partitions, reused by new ones (a window's partition is about as large as the last one's). */
  private readonly spareMembers: Int32Array[] = [];

  /** Frees entry e (its id may be reused); its partition's member list is no longer exact. */
  private freeEntry(e: number): void {
    this.alive[e] = 0;
    this.free.push(e);
    const p = this.parts[this.partOf[e] as number];
    if (p !== undefined) p.dirty = true;
  }

  /** Slot arrays of discarded partitions, reused (zeroed) by new ones of the same size. */
  private readonly spareSlots: Int32Array[] = [];

  private newSlots(): Int32Array {
    const want = this.partitionSlots * 2;
    for (let i = this.spareSlots.length - 1; i >= 0; i--) {
      const a = this.spareSlots[i] as Int32Array;
      if (a.length !== want) continue;
      this.spareSlots.splice(i, 1);
      return a.fill(0);
    }
    return new Int32Array(want);
  }

  private newMembers(): Int32Array {
    return this.spareMembers.pop() ?? new Int32Array(64);
  }

  private marks: Int32Array = new Int32Array(1024);
  private markStamp = 0;

  /**
   * Room for `n` more entries without growing while they go in: a batch about to add many
   * keys grows the arrays once to their size, instead of doubling (and copying) them
   * several times over.
   */
  reserve(n: number): void {
    const want = this.highWater - this.free.length + n;
    if (want > this.entryCap) this.growEntries(want);
  }

  private growEntries(atLeast = 0): void {
    // By half, not double: a windowed table's capacity settles closer to its live, freed and
    // new entries (tumbling, 1e5 keys: 351,671 entries instead of 524,288, 10 MB less), and
    // a new query's table writes fewer fresh pages (page faults, about 11 µs each on the dev VM).
    const cap = Math.max(Math.ceil(this.entryCap * 1.5), atLeast);
    const hw = this.highWater;
    // Past the high-water mark newEntry writes an entry whole, but for what is read as zero
    // there: null flags (0 while no key had a null), alive flags, compaction marks.
    this.data = regrow(Float64Array, this.data, cap * this.stride, hw * this.stride, false);
    this.keyNulls = regrow(Uint8Array, this.keyNulls, cap * this.kw, hw * this.kw, true);
    this.alive = regrow(Uint8Array, this.alive, cap, hw, true);
    this.hashes = regrow(Int32Array, this.hashes, cap, hw, false);
    this.partOf = regrow(Int32Array, this.partOf, cap, hw, false);
    this.marks = regrow(Int32Array, this.marks, cap, hw, true);
    // A pooled array may be longer than asked: the table holds what the shortest allows.
    const kw = this.kw;
    this.entryCap = Math.min(Math.floor(this.data.length / this.stride), kw > 0 ? Math.floor(this.keyNulls.length / kw) : Infinity, this.alive.length, this.hashes.length, this.partOf.length, this.marks.length);
  }

  /**
   * Gives the entry arrays to `stateArrayPool` for other tables to grow into, and empties the
   * table: only for a table no query will read again (its checkpoint deleted).
   */
  release(): void {
    for (const a of [this.data, this.keyNulls, this.alive, this.hashes, this.partOf, this.marks]) stateArrayPool.give(a);
    this.data = new Float64Array(0);
    this.keyNulls = new Uint8Array(0);
    this.alive = new Uint8Array(0);
    this.hashes = new Int32Array(0);
    this.partOf = new Int32Array(0);
    this.marks = new Int32Array(0);
    this.entryCap = 0;
    this.highWater = 0;
    this.count = 0;
    this.free.clear();
    this.byValue.clear();
    this.parts.length = 0;
    this.recentParts.fill(null);
  }

  private growSlots(p: Partition): void {
    if (p.count >= 256 && this.toDense(p)) return;
    const n = (p.mask + 1) * 2;
    p.slots = new Int32Array(n * 2);
    p.mask = n - 1;
    for (const e of this.compact(p)) if (this.alive[e] === 1) link(p, e, this.hashes[e] as number);
  }
}

/**
 * Whether a dense index may hold integer v: not past 2^50, where `lo + length` (an index's
 * end) would round and offsets stop being exact.
 */
function isDenseInteger(v: number): boolean {
  return Number.isInteger(v) && Math.abs(v) <= 2 ** 50;
}

/** Whether any of the first `kw` null flags is set. */
function hasNull(nulls: Uint8Array, kw: number): boolean {
  for (let k = 0; k < kw; k++) if (nulls[k] === 1) return true;
  return false;
}

/** Marks partition p as hashing for good (its keys cannot be dense); false, for toDense to return. */
function notDense(p: Partition): false {
  p.notDense = true;
  return false;
}

/** The slots of a dense partition (it has none). */
const NO_SLOTS = new Int32Array(0);

/** One partition's hash slots (pairs: entry id + 1, hash) or dense index, and the entries inserted into it. */
class Partition {
  slots: Int32Array;
  mask: number;
  /** Whether entries are found by hash (`slots`); else by `dense` (none yet while it is null). */
  hashed: boolean;
  /** A dense partition's entries: entry id + 1 at `dense[key[denseSlot] − lo]`, 0 where none. */
  dense: Int32Array | null = null;
  lo = 0;
  /** Whether its keys proved unfit for a dense index (a null, a fraction, two keys with one integer): it hashes for good. */
  notDense = false;
  /** Entries linked in `slots`. */
  count = 0;
  /** Entries inserted into this partition, `members[0..size)`; may hold some that left it (check `partOf` and `alive`). */
  members: Int32Array;
  size = 0;
  /** Whether an entry of `members` was freed since the last compaction (the list may hold strays and repeats). */
  dirty = false;

  constructor(
    readonly id: number,
    readonly value: number,
    slots: number,
    members: Int32Array,
    slotArray: Int32Array,
  ) {
    this.members = members;
    this.slots = slotArray;
    this.mask = slots - 1;
    this.hashed = slots > 0;
  }
}

function link(p: Partition, e: number, h: number): void {
  const mask = p.mask;
  const slots = p.slots;
  let s = h & mask;
  while (slots[2 * s] !== 0) s = (s + 1) & mask;
  slots[2 * s] = e + 1;
  slots[2 * s + 1] = h;
}

function unlink(p: Partition, e: number, h: number): void {
  const mask = p.mask;
  const slots = p.slots;
  let s = h & mask;
  while (slots[2 * s] !== e + 1) s = (s + 1) & mask;
  // Backward-shift deletion keeps probe chains intact without tombstones.
  let next = (s + 1) & mask;
  while (slots[2 * next] !== 0) {
    const ideal = (slots[2 * next + 1] as number) & mask;
    if (((next - ideal) & mask) >= ((next - s) & mask)) {
      slots[2 * s] = slots[2 * next] as number;
      slots[2 * s + 1] = slots[2 * next + 1] as number;
      s = next;
    }
    next = (next + 1) & mask;
  }
  slots[2 * s] = 0;
  slots[2 * s + 1] = 0;
}

const INSERTED = 0;
const UPDATED = 1;
const REMOVED = 2;
/** A partition dropped (the entry field holds the partition id; its dropped entries are marked 3 in `alive`). */
const PARTITION_DROPPED = 4;

/** The changes of one version, in order: (op, entry) pairs and the previous values of UPDATED entries. */
export class UndoLog {
  ops = new Uint8Array(256);
  entries = new Int32Array(256);
  olds: Float64Array;
  n = 0;
  nOld = 0;

  constructor(private readonly vw: number) {
    this.olds = new Float64Array(256 * Math.max(1, vw));
  }

  push(op: number, e: number): void {
    if (this.n === this.ops.length) {
      this.ops = grown(this.ops, this.n * 2);
      this.entries = grown(this.entries, this.n * 2);
    }
    this.ops[this.n] = op;
    this.entries[this.n++] = e;
  }

  pushUpdate(e: number, vals: Float64Array, base: number): void {
    this.push(UPDATED, e);
    const vw = this.vw;
    if (this.nOld + vw > this.olds.length) this.olds = grown(this.olds, this.olds.length * 2);
    for (let k = 0; k < vw; k++) this.olds[this.nOld + k] = vals[base + k] as number;
    this.nOld += vw;
  }

  /** Entries this version wrote, inserted or removed (with repeats), in order. */
  changedEntries(): Int32Array {
    return this.entries.subarray(0, this.n);
  }

  byteSize(): number {
    return this.ops.length * 5 + this.olds.length * 8;
  }
}

/**
 * Mixes a number into a hash: its low and high 32 bits and its fraction (so 1.25 and 1.5,
 * or times within one millisecond, hash apart).
 */
export function mixNumber(h: number, v: number): number {
  const whole = Math.floor(v);
  h = Math.imul(h ^ (whole >>> 0), 0x01000193);
  h = Math.imul(h ^ (Math.floor(whole * 2.3283064365386963e-10) | 0), 0x01000193);
  return Math.imul(h ^ (((v - whole) * 4294967296) | 0), 0x01000193);
}

/** The final avalanche of a hash (never 0 is not needed: slots mark free with the id). */
export function finishHash(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}
