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
 * Hashing: open addressing over `slots` (entry id + 1 and hash; 0 = free), linear probing,
 * backward-shift deletion; the same mixing as NumericKeyIndex.
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
  /** 1 while the entry is in the table. */
  alive: Uint8Array;
  private hashes: Int32Array;
  /** Open-addressing slots as pairs (entry id + 1, hash); id 0 = free. */
  private slots: Int32Array;
  private mask: number;
  private entryCap: number;
  /** Entries ever allocated (ids below are alive or free). */
  private highWater = 0;
  private free: number[] = [];
  private count = 0;
  private stamp = 1;
  private log: UndoLog;
  /** Whether a key with a null part was ever inserted (then `findNoNulls` checks null flags). */
  private everNull = false;
  private readonly zeroNulls: Uint8Array;

  constructor(keyWidth: number, valueWidth: number, expected = 1024) {
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
    this.slots = new Int32Array(cap * 4);
    this.mask = cap * 2 - 1;
    this.log = new UndoLog(valueWidth);
    this.zeroNulls = new Uint8Array(keyWidth);
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
    return this.entryCap * (this.stride * 8 + this.kw + 1 + 4) + (this.mask + 1) * 8 + this.log.byteSize();
  }

  /** Hash of the key in `key[0..kw)` / `nulls[0..kw)`. */
  hashOf(key: Float64Array, nulls: Uint8Array): number {
    let h = 0x811c9dc5;
    for (let k = 0; k < this.kw; k++) {
      if (nulls[k] === 1) {
        h = Math.imul(h ^ 0x9e3779b9, 0x01000193);
        continue;
      }
      const v = key[k] as number;
      h = Math.imul(h ^ (v >>> 0), 0x01000193);
      h = Math.imul(h ^ (Math.floor(v * 2.3283064365386963e-10) | 0), 0x01000193);
    }
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    return h;
  }

  /** The entry with the key in `key` / `nulls`, or −1. `h` is `hashOf(key, nulls)`. */
  find(key: Float64Array, nulls: Uint8Array, h: number): number {
    const kw = this.kw;
    const stride = this.stride;
    const slots = this.slots;
    const data = this.data;
    const keyNulls = this.keyNulls;
    const mask = this.mask;
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
    const kw = this.kw;
    const stride = this.stride;
    const slots = this.slots;
    const data = this.data;
    const mask = this.mask;
    let s = h & mask;
    for (;;) {
      const id = slots[2 * s] as number;
      if (id === 0) return -1;
      if (slots[2 * s + 1] === h) {
        const base = (id - 1) * stride;
        let k = 0;
        while (k < kw) {
          const a = data[base + k] as number;
          const b = key[k] as number;
          if (a !== b && !(a !== a && b !== b)) break;
          k++;
        }
        if (k === kw) return id - 1;
      }
      s = (s + 1) & mask;
    }
  }

  /**
   * Adds a new entry with the key in `key` / `nulls` (not present: call `find` first); its
   * value slots are zero. Returns its id. Recorded in the undo log.
   */
  insert(key: Float64Array, nulls: Uint8Array, h: number): number {
    if (this.free.length === 0 && this.highWater === this.entryCap) this.growEntries();
    const e = this.free.length > 0 ? (this.free.pop() as number) : this.highWater++;
    const kw = this.kw;
    const base = e * this.stride;
    const data = this.data;
    for (let k = 0; k < kw; k++) {
      const isNull = nulls[k] as number;
      data[base + k] = isNull === 1 ? 0 : (key[k] as number);
      this.keyNulls[e * kw + k] = isNull;
      if (isNull === 1) this.everNull = true;
    }
    for (let j = kw; j < this.stride - 1; j++) data[base + j] = 0;
    data[base + this.stride - 1] = this.stamp;
    this.hashes[e] = h;
    this.alive[e] = 1;
    this.link(e, h);
    this.count++;
    if (this.count * 2 > this.mask) this.growSlots();
    this.log.push(INSERTED, e);
    return e;
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
    this.unlink(e);
    this.alive[e] = 0;
    this.count--;
    this.log.push(REMOVED, e);
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
          this.unlink(e);
          this.alive[e] = 0;
          this.count--;
        }
        this.free.push(e);
      } else if (this.alive[e] === 0) {
        this.link(e, this.hashes[e] as number);
        this.alive[e] = 1;
        this.count++;
      }
    }
    // Entries now written by the next version must be logged again.
    this.stamp++;
  }

  /** Forgets an undo log: the entries it removed can be reused. */
  drop(log: UndoLog): void {
    for (let i = 0; i < log.n; i++) if (log.ops[i] === REMOVED && this.alive[log.entries[i] as number] === 0) this.free.push(log.entries[i] as number);
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

  private link(e: number, h: number): void {
    const mask = this.mask;
    const slots = this.slots;
    let s = h & mask;
    while (slots[2 * s] !== 0) s = (s + 1) & mask;
    slots[2 * s] = e + 1;
    slots[2 * s + 1] = h;
  }

  private unlink(e: number): void {
    const mask = this.mask;
    const slots = this.slots;
    let s = (this.hashes[e] as number) & mask;
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

  private growEntries(): void {
    const cap = this.entryCap * 2;
    this.data = grownF64(this.data, cap * this.stride);
    const kn = new Uint8Array(cap * this.kw);
    kn.set(this.keyNulls);
    this.keyNulls = kn;
    const alive = new Uint8Array(cap);
    alive.set(this.alive);
    this.alive = alive;
    const hashes = new Int32Array(cap);
    hashes.set(this.hashes);
    this.hashes = hashes;
    this.entryCap = cap;
  }

  private growSlots(): void {
    const n = (this.mask + 1) * 2;
    this.slots = new Int32Array(n * 2);
    this.mask = n - 1;
    for (let e = 0; e < this.highWater; e++) if (this.alive[e] === 1) this.link(e, this.hashes[e] as number);
  }
}

const INSERTED = 0;
const UPDATED = 1;
const REMOVED = 2;

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
      const ops = new Uint8Array(this.n * 2);
      ops.set(this.ops);
      this.ops = ops;
      const entries = new Int32Array(this.n * 2);
      entries.set(this.entries);
      this.entries = entries;
    }
    this.ops[this.n] = op;
    this.entries[this.n++] = e;
  }

  pushUpdate(e: number, vals: Float64Array, base: number): void {
    this.push(UPDATED, e);
    const vw = this.vw;
    if (this.nOld + vw > this.olds.length) this.olds = grownF64(this.olds, this.olds.length * 2);
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

function grownF64(a: Float64Array, n: number): Float64Array {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}
