import { compareValues } from "../../expressions/compile";
import type { AggFnName } from "../../expressions/Expression";
import type { DataType, Value } from "../../expressions/types";
import { HyperLogLog } from "./HyperLogLog";

/**
 * A serialised aggregation buffer: plain JSON-compatible data, stored as is in the
 * state store. Layouts: count → n; sum → s|null; avg → [s, n]; min/max → v|null;
 * first/last → [set(0|1), v]; collect_list → v[]; count_distinct → v[];
 * approx_count_distinct → HLL registers (number[]).
 */
export type AggBuffer = Value;

/**
 * Per-batch accumulators for one aggregate over many groups, indexed by group id.
 * Numeric aggregates keep typed arrays, so updating a group costs no allocation.
 */
export interface GroupAccumulator {
  /** Adds input value `v` (already evaluated) to group `g`. Groups are created in increasing order. */
  update(g: number, v: Value): void;
  /**
   * Adds one row with a null argument to group `gids[i]` for each i < n, as `update(gids[i], null)`
   * would (count(*) fast path: one tight loop instead of a call per row). Optional.
   */
  countRows?(gids: Int32Array, n: number): void;
  /** Merges a serialised buffer into group `g`. */
  merge(g: number, buf: AggBuffer): void;
  /** The serialised buffer of group `g`. */
  buffer(g: number): AggBuffer;
}

/** An aggregate function's contract. All buffers are mergeable, which pane-based windows rely on. */
export interface AggregateFunction {
  readonly name: AggFnName;
  /** Type of the result. */
  readonly resultType: DataType;
  /** A fresh per-batch accumulator. */
  newAccumulator(): GroupAccumulator;
  /** Combines two buffers (never mutates them). */
  mergeBuffers(a: AggBuffer, b: AggBuffer): AggBuffer;
  /** The final value of a buffer. */
  result(buf: AggBuffer): Value;
  /** The buffer of an empty group. */
  empty(): AggBuffer;
}

class Growable {
  data: Float64Array = new Float64Array(64);
  ensure(g: number): void {
    if (g >= this.data.length) {
      let n = this.data.length * 2;
      while (n <= g) n *= 2;
      const next = new Float64Array(n);
      next.set(this.data);
      this.data = next;
    }
  }
}

class GrowableFlags {
  data: Uint8Array = new Uint8Array(64);
  ensure(g: number): void {
    if (g >= this.data.length) {
      let n = this.data.length * 2;
      while (n <= g) n *= 2;
      const next = new Uint8Array(n);
      next.set(this.data);
      this.data = next;
    }
  }
}

/**
 * Adds each row to its group's count. A module function, not a closure of the accumulator:
 * V8 keeps a closure's optimized code only while some closure of it lives, so a hot loop in
 * a per-query closure is compiled again for every new query after a full GC.
 */
function countRowsInto(c: Growable, gids: Int32Array, n: number): void {
  let max = -1;
  for (let i = 0; i < n; i++) if ((gids[i] as number) > max) max = gids[i] as number;
  if (max < 0) return;
  c.ensure(max);
  const d = c.data;
  for (let i = 0; i < n; i++) (d[gids[i] as number] as number)++;
}

function countFn(star: boolean): AggregateFunction {
  return {
    name: "count",
    resultType: "long",
    newAccumulator() {
      const c = new Growable();
      return {
        update: star
          ? (g) => {
              c.ensure(g);
              (c.data[g] as number)++;
            }
          : (g, v) => {
              c.ensure(g);
              if (v !== null) (c.data[g] as number)++;
            },
        countRows: star ? (gids, n) => countRowsInto(c, gids, n) : undefined,
        merge(g, buf) {
          c.ensure(g);
          c.data[g] = (c.data[g] as number) + (buf as number);
        },
        buffer(g) {
          return g < c.data.length ? (c.data[g] as number) : 0;
        },
      };
    },
    mergeBuffers: (a, b) => (a as number) + (b as number),
    result: (b) => b,
    empty: () => 0,
  };
}

function sumFn(resultType: DataType): AggregateFunction {
  return {
    name: "sum",
    resultType,
    newAccumulator() {
      const s = new Growable();
      const has = new GrowableFlags();
      return {
        update(g, v) {
          s.ensure(g);
          has.ensure(g);
          if (v !== null) {
            s.data[g] = (s.data[g] as number) + (v as number);
            has.data[g] = 1;
          }
        },
        merge(g, buf) {
          s.ensure(g);
          has.ensure(g);
          if (buf !== null) {
            s.data[g] = (s.data[g] as number) + (buf as number);
            has.data[g] = 1;
          }
        },
        buffer(g) {
          return g < has.data.length && has.data[g] === 1 ? (s.data[g] as number) : null;
        },
      };
    },
    mergeBuffers: (a, b) => (a === null ? b : b === null ? a : (a as number) + (b as number)),
    result: (b) => b,
    empty: () => null,
  };
}

function avgFn(): AggregateFunction {
  return {
    name: "avg",
    resultType: "double",
    newAccumulator() {
      const s = new Growable();
      const n = new Growable();
      return {
        update(g, v) {
          s.ensure(g);
          n.ensure(g);
          if (v !== null) {
            s.data[g] = (s.data[g] as number) + (v as number);
            (n.data[g] as number)++;
          }
        },
        merge(g, buf) {
          s.ensure(g);
          n.ensure(g);
          const [bs, bn] = buf as number[];
          s.data[g] = (s.data[g] as number) + (bs as number);
          n.data[g] = (n.data[g] as number) + (bn as number);
        },
        buffer(g) {
          return g < n.data.length ? [s.data[g] as number, n.data[g] as number] : [0, 0];
        },
      };
    },
    mergeBuffers: (a, b) => [((a as number[])[0] as number) + ((b as number[])[0] as number), ((a as number[])[1] as number) + ((b as number[])[1] as number)],
    result: (b) => {
      const [s, n] = b as number[];
      return n === 0 ? null : (s as number) / (n as number);
    },
    empty: () => [0, 0],
  };
}

function minMaxFn(name: "min" | "max", resultType: DataType): AggregateFunction {
  const better = name === "min" ? (a: Value, b: Value) => compareValues(a, b) < 0 : (a: Value, b: Value) => compareValues(a, b) > 0;
  const pick = (a: Value, b: Value): Value => (a === null ? b : b === null ? a : better(b, a) ? b : a);
  if (typeof resultType === "string" && resultType !== "string" && resultType !== "boolean" && resultType !== "null") {
    // Numbers and timestamps: typed arrays, inlined comparison.
    const isMin = name === "min";
    return {
      name,
      resultType,
      newAccumulator() {
        const m = new Growable();
        const has = new GrowableFlags();
        const upd = (g: number, v: Value) => {
          m.ensure(g);
          has.ensure(g);
          if (v === null) return;
          const x = v as number;
          if (has.data[g] === 0 || (isMin ? x < (m.data[g] as number) : x > (m.data[g] as number))) {
            m.data[g] = x;
            has.data[g] = 1;
          }
        };
        return {
          update: upd,
          merge: upd,
          buffer: (g) => (g < has.data.length && has.data[g] === 1 ? (m.data[g] as number) : null),
        };
      },
      mergeBuffers: pick,
      result: (b) => b,
      empty: () => null,
    };
  }
  return {
    name,
    resultType,
    newAccumulator() {
      const vals: Value[] = [];
      const upd = (g: number, v: Value) => {
        vals[g] = pick(vals[g] ?? null, v);
      };
      return { update: upd, merge: upd, buffer: (g) => vals[g] ?? null };
    },
    mergeBuffers: pick,
    result: (b) => b,
    empty: () => null,
  };
}

function firstLastFn(name: "first" | "last", resultType: DataType, ignoreNulls: boolean): AggregateFunction {
  const isFirst = name === "first";
  const mergeB = (a: AggBuffer, b: AggBuffer): AggBuffer => {
    const [as] = a as [number, Value];
    const [bs] = b as [number, Value];
    if (isFirst) return as === 1 ? a : bs === 1 ? b : a;
    return bs === 1 ? b : a;
  };
  return {
    name,
    resultType,
    newAccumulator() {
      const set: number[] = [];
      const vals: Value[] = [];
      return {
        update(g, v) {
          if (ignoreNulls && v === null) return;
          if (isFirst && set[g] === 1) return;
          set[g] = 1;
          vals[g] = v;
        },
        merge(g, buf) {
          const [bs, bv] = buf as [number, Value];
          if (bs !== 1) return;
          if (isFirst && set[g] === 1) return;
          set[g] = 1;
          vals[g] = bv;
        },
        buffer: (g) => [set[g] ?? 0, vals[g] ?? null],
      };
    },
    mergeBuffers: mergeB,
    result: (b) => (b as [number, Value])[1],
    empty: () => [0, null],
  };
}

function collectSetFn(resultType: DataType): AggregateFunction {
  const dedupe = (xs: readonly Value[]): Value[] => {
    const seen = new Set<Value>();
    const out: Value[] = [];
    for (const x of xs) {
      const k = distinctKey(x);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(x);
      }
    }
    return out;
  };
  return {
    name: "collect_set",
    resultType,
    newAccumulator() {
      const lists: Value[][] = [];
      const seen: Set<Value>[] = [];
      return {
        update(g, v) {
          if (v === null) return;
          const s = (seen[g] ??= new Set());
          const k = distinctKey(v);
          if (s.has(k)) return;
          s.add(k);
          (lists[g] ??= []).push(v);
        },
        merge(g, buf) {
          for (const x of buf as Value[]) this.update(g, x);
        },
        buffer: (g) => lists[g] ?? [],
      };
    },
    mergeBuffers: (a, b) => dedupe([...(a as Value[]), ...(b as Value[])]),
    result: (b) => b,
    empty: () => [],
  };
}

function collectListFn(resultType: DataType): AggregateFunction {
  return {
    name: "collect_list",
    resultType,
    newAccumulator() {
      const lists: Value[][] = [];
      return {
        update(g, v) {
          if (v === null) return;
          (lists[g] ??= []).push(v);
        },
        merge(g, buf) {
          const l = (lists[g] ??= []);
          for (const x of buf as Value[]) l.push(x);
        },
        buffer: (g) => lists[g] ?? [],
      };
    },
    mergeBuffers: (a, b) => [...(a as Value[]), ...(b as Value[])],
    result: (b) => b,
    empty: () => [],
  };
}

function distinctKey(v: Value): Value {
  return v !== null && typeof v === "object" ? JSON.stringify(v) : v;
}

function countDistinctFn(): AggregateFunction {
  return {
    name: "count_distinct",
    resultType: "long",
    newAccumulator() {
      const sets: Set<Value>[] = [];
      return {
        update(g, v) {
          if (v === null) return;
          (sets[g] ??= new Set()).add(distinctKey(v));
        },
        merge(g, buf) {
          const s = (sets[g] ??= new Set());
          for (const x of buf as Value[]) s.add(x);
        },
        buffer: (g) => [...(sets[g] ?? [])],
      };
    },
    mergeBuffers: (a, b) => [...new Set([...(a as Value[]), ...(b as Value[])])],
    result: (b) => (b as Value[]).length,
    empty: () => [],
  };
}

function approxCountDistinctFn(rsd: number): AggregateFunction {
  const p = HyperLogLog.precisionFor(rsd);
  return {
    name: "approx_count_distinct",
    resultType: "long",
    newAccumulator() {
      const hlls: HyperLogLog[] = [];
      return {
        update(g, v) {
          const h = (hlls[g] ??= new HyperLogLog(p));
          if (v !== null) h.add(v);
        },
        merge(g, buf) {
          (hlls[g] ??= new HyperLogLog(p)).mergeRegisters(buf as number[]);
        },
        buffer: (g) => (hlls[g] ?? new HyperLogLog(p)).registers(),
      };
    },
    mergeBuffers: (a, b) => {
      const h = new HyperLogLog(p);
      h.mergeRegisters(a as number[]);
      h.mergeRegisters(b as number[]);
      return h.registers();
    },
    result: (b) => {
      const h = new HyperLogLog(p);
      h.mergeRegisters(b as number[]);
      return h.estimate();
    },
    empty: () => new HyperLogLog(p).registers(),
  };
}

/** The implementation of aggregate `fn` whose (first) argument has type `argType`. */
export function aggregateFunction(
  fn: AggFnName,
  argType: DataType,
  resultType: DataType,
  opts: { star: boolean; ignoreNulls: boolean; rsd: number },
): AggregateFunction {
  switch (fn) {
    case "count":
      return countFn(opts.star);
    case "sum":
      return sumFn(resultType);
    case "avg":
      return avgFn();
    case "min":
    case "max":
      return minMaxFn(fn, argType);
    case "first":
    case "last":
      return firstLastFn(fn, resultType, opts.ignoreNulls);
    case "collect_list":
      return collectListFn(resultType);
    case "collect_set":
      return collectSetFn(resultType);
    case "count_distinct":
      return countDistinctFn();
    case "approx_count_distinct":
      return approxCountDistinctFn(opts.rsd);
  }
}
