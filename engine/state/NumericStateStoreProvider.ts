import { IllegalStateException } from "../util/errors";
import type { Value } from "../expressions/types";
import {
  decodeKey,
  decodeValue,
  encodeKey,
  encodeValue,
  formatString,
  formatWidths,
  keyPartWidth,
  type NumericStateFormat,
} from "./NumericStateFormat";
import { NumericStateTable, type UndoLog } from "./NumericStateTable";
import type { StateStore, StateStoreProvider } from "./StateStore";
import type { StateKey } from "./TupleMap";

/**
 * The in-memory provider for states of a NumericStateFormat (numeric keys and values):
 * the state lives in one NumericStateTable, versioned by its undo logs as
 * MemoryStateStoreProvider does with its map (`retainVersions` committed logs kept).
 *
 * Its stores serve the ordinary StateStore contract (key and value tuples, encoded and
 * decoded on the way) and, to operators that know the format, the table itself
 * (`NumericStateStore.table`), which they update in place.
 */
export class NumericStateStoreProvider<V> implements StateStoreProvider<V> {
  readonly table: NumericStateTable;
  private latestVer = 0;
  /** undo[v] turns version v+1 back into version v. */
  private readonly undo = new Map<number, UndoLog>();
  private open: NumericStateStore<V> | null = null;

  constructor(
    readonly format: NumericStateFormat,
    private readonly retainVersions = 1,
  ) {
    const { keyWidth, valueWidth } = formatWidths(format);
    this.table = new NumericStateTable(keyWidth, valueWidth, 1024, format.partitionBy, denseSlotOf(format));
  }

  getStore(version: number): Promise<StateStore<V>> {
    this.open?.abort();
    if (version > this.latestVer || version < 0) return Promise.reject(this.missing(version));
    for (let v = this.latestVer - 1; v >= version; v--) {
      if (!this.undo.has(v)) return Promise.reject(this.missing(version));
    }
    for (let v = this.latestVer - 1; v >= version; v--) {
      this.table.rollBack(this.undo.get(v) as UndoLog);
      this.undo.delete(v);
    }
    this.latestVer = version;
    const store = new NumericStateStore<V>(version, this);
    this.open = store;
    return Promise.resolve(store);
  }

  /** Gives the table's memory to other tables (stateArrayPool): only once no query will read this state again. */
  release(): void {
    this.open = null;
    this.undo.clear();
    this.table.release();
  }

  latestVersion(): number {
    return this.latestVer;
  }

  private missing(version: number): IllegalStateException {
    return new IllegalStateException(
      `Error reading state store version ${version}: it does not exist (latest is ${this.latestVer}, older versions kept: ${this.retainVersions}).`,
      "CANNOT_LOAD_STATE_STORE",
    );
  }

  /** @internal a store committed version `from + 1`. */
  committed(store: NumericStateStore<V>, from: number): number {
    if (this.open === store) this.open = null;
    this.undo.set(from, this.table.takeLog());
    const old = this.undo.get(from - this.retainVersions);
    if (old !== undefined) {
      this.table.drop(old);
      this.undo.delete(from - this.retainVersions);
    }
    this.latestVer = from + 1;
    return this.latestVer;
  }

  /** @internal a store was aborted. */
  aborted(store: NumericStateStore<V>): void {
    this.table.rollBackOpen();
    if (this.open === store) this.open = null;
  }
}

/** A store of a NumericStateStoreProvider: the StateStore contract over its table. */
export class NumericStateStore<V> implements StateStore<V> {
  private state: "updating" | "committed" | "aborted" = "updating";
  private readonly scratchKey: Float64Array;
  private readonly scratchNulls: Uint8Array;
  private readonly scratchValue: Float64Array;

  constructor(
    readonly version: number,
    private readonly provider: NumericStateStoreProvider<V>,
  ) {
    const { keyWidth, valueWidth } = formatWidths(provider.format);
    this.scratchKey = new Float64Array(keyWidth);
    this.scratchNulls = new Uint8Array(keyWidth);
    this.scratchValue = new Float64Array(valueWidth);
  }

  /** The table to update in place (writes must go through `willWrite`, `insert`, `remove`). */
  get table(): NumericStateTable {
    this.checkUpdating();
    return this.provider.table;
  }

  get format(): NumericStateFormat {
    return this.provider.format;
  }

  get hasCommitted(): boolean {
    return this.state === "committed";
  }

  private entryOf(key: StateKey): number {
    const t = this.provider.table;
    if (!encodeKey(this.format, key, this.scratchKey, this.scratchNulls)) throw this.mismatch("key", key);
    return t.find(this.scratchKey, this.scratchNulls, t.hashOf(this.scratchKey, this.scratchNulls));
  }

  get(key: StateKey): V | undefined {
    const e = this.entryOf(key);
    if (e < 0) return undefined;
    const t = this.provider.table;
    return decodeValue(this.format, t.data, t.valueOffset(e)) as V;
  }

  put(key: StateKey, value: V): void {
    this.checkUpdating();
    const t = this.provider.table;
    // The value is checked before anything is written: a rejected put changes nothing.
    if (!Array.isArray(value) || !encodeValue(this.format, value as readonly Value[], this.scratchValue, 0)) throw this.mismatch("value", value as Value);
    let e = this.entryOf(key);
    if (e < 0) e = t.insert(this.scratchKey, this.scratchNulls, t.hashOf(this.scratchKey, this.scratchNulls));
    else t.willWrite(e);
    t.data.set(this.scratchValue, t.valueOffset(e));
  }

  remove(key: StateKey): void {
    this.checkUpdating();
    const e = this.entryOf(key);
    if (e >= 0) this.provider.table.remove(e);
  }

  *entries(): IterableIterator<[StateKey, V]> {
    const t = this.provider.table;
    for (const e of t.liveEntries()) {
      yield [decodeKey(this.format, t.data, t.keyOffset(e), t.keyNulls, e * t.kw), decodeValue(this.format, t.data, t.valueOffset(e)) as V];
    }
  }

  numKeys(): number {
    return this.provider.table.size;
  }

  commit(): Promise<number> {
    this.checkUpdating();
    this.state = "committed";
    return Promise.resolve(this.provider.committed(this, this.version));
  }

  abort(): void {
    if (this.state !== "updating") return;
    this.state = "aborted";
    this.provider.aborted(this);
  }

  memoryUsedBytes(): number {
    return this.provider.table.byteSize();
  }

  private mismatch(what: string, v: Value | StateKey): IllegalStateException {
    return new IllegalStateException(
      `State ${what} ${JSON.stringify(v)} does not fit the state's schema (${formatString(this.format)}): the query's stateful operator changed since the checkpoint was written.`,
      "STATE_STORE_SCHEMA_MISMATCH",
    );
  }

  private checkUpdating(): void {
    if (this.state !== "updating") {
      throw new IllegalStateException(`Cannot update a state store that was already ${this.state}`, "STATE_STORE_NOT_UPDATING");
    }
  }
}

/**
 * The key slot a partition of the state may index densely: the last plain number key that
 * is not the partition's time (a window's count by an id: every key of a window's partition
 * differs only in the id); −1 when there is none.
 */
export function denseSlotOf(format: NumericStateFormat): number {
  let slot = -1;
  let s = 0;
  for (const p of format.keys) {
    if (p === "number" && s !== format.partitionBy?.slot) slot = s;
    s += keyPartWidth(p);
  }
  return slot;
}
