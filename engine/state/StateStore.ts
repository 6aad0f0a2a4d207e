import type { StateKey } from "./TupleMap";

export type { StateKey } from "./TupleMap";

/**
 * Spark's state store contract (StateStore / StateStoreProvider), one store per
 * stateful operator (a single partition here). Version v holds the state after
 * batch v-1 committed; a batch reads version `batchId` and commits `batchId + 1`.
 *
 * Keys are tuples of values (a grouping key, `StateKey`), compared by value: no
 * string is built per key. Keys and values are plain JSON-compatible data so that a
 * persistent provider (IndexedDB, files) can store them as they are (e.g. the key as
 * JSON text). Values must be treated as immutable: replace, never mutate.
 */
export interface StateStore<V> {
  /** The version this store was loaded from. */
  readonly version: number;
  /** The value for `key`, or undefined. */
  get(key: StateKey): V | undefined;
  /** Sets `key` to `value` in this (uncommitted) version. */
  put(key: StateKey, value: V): void;
  /** Removes `key`. */
  remove(key: StateKey): void;
  /** All entries of this version (including uncommitted changes). Do not modify the store while iterating. */
  entries(): IterableIterator<[StateKey, V]>;
  /** Number of keys. */
  numKeys(): number;
  /** Makes the changes version `version + 1`; resolves to the new version. Rejects if already committed/aborted. */
  commit(): Promise<number>;
  /** Drops the changes. */
  abort(): void;
  /** Whether commit() succeeded. */
  readonly hasCommitted: boolean;
  /** Rough memory size of the state (progress `memoryUsedBytes`). */
  memoryUsedBytes(): number;
}

/** Creates stores of one operator at a given version. */
export interface StateStoreProvider<V> {
  /** Loads version `version` (0 = empty). Rejects if that version does not exist. */
  getStore(version: number): Promise<StateStore<V>>;
  /** The newest committed version (0 when none). */
  latestVersion(): number;
}
