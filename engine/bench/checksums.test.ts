/**
 * Proves the benchmark compares equal things: on tiny data, every implementation of
 * every workload (engine, ceiling, idiomatic, RxJS, Arquero, DuckDB) produces the same
 * result checksum, for two different micro-batch sizes. The tiny data runs at 3 rows/s
 * of event time over 300 keys, so 3,000 rows span ~17 minutes: windows, sessions and
 * dedup keys are finalized during the run, late rows are dropped, and batches of 150
 * rows (50 s) make the watermark matter. An implementation the engine cannot run yet
 * (setup fails: a missing feature) is skipped with its reason, in its own test.
 */
import { describe, expect, it } from "vitest";
import { Checksum } from "./checksum";
import { batchBounds } from "./data";
import { DUCKDB_IMPLS } from "./duckdb";
import { guarded, runOnce } from "./harness";
import { Unsupported, type Impl, type ImplName, type Scale, type Workload } from "./types";
import { WORKLOADS } from "./workloads/index";

const ROWS = 3_000;
const SEED = 7;
const TINY: Scale = { rowsPerSecond: 3, keys: 300, tableRows: 200 };
const BATCHES = [150, 1_000];

function implsOf(w: Workload): [ImplName, Impl][] {
  const all: Partial<Record<ImplName, Impl>> = { ...w.impls };
  const d = DUCKDB_IMPLS[w.name];
  if (d !== undefined) all.duckdb = d;
  return Object.entries(all) as [ImplName, Impl][];
}

/** The checksum, or the Unsupported reason. */
async function checksum(w: Workload, impl: Impl, batchSize: number): Promise<string | Unsupported> {
  const input = w.makeInput(ROWS, SEED, TINY);
  try {
    return (await runOnce(guarded(impl), { input, bounds: batchBounds(input.events.n, batchSize) })).checksum;
  } catch (e) {
    if (e instanceof Unsupported) return e;
    throw e;
  }
}

/** The reference checksum per workload and batch size: the ceiling's. */
const reference = new Map<string, string>();
async function referenceOf(w: Workload, batchSize: number): Promise<string> {
  const k = `${w.name}@${batchSize}`;
  let r = reference.get(k);
  if (r === undefined) {
    const c = await checksum(w, w.impls.ceiling as Impl, batchSize);
    if (c instanceof Unsupported) throw c;
    r = c;
    reference.set(k, r);
  }
  return r;
}

describe("benchmark checksums agree across implementations (tiny data)", () => {
  for (const w of WORKLOADS) {
    for (const [name, impl] of implsOf(w)) {
      if (name === "ceiling") continue;
      it(`${w.name}: ${name} = ceiling`, async (ctx) => {
        for (const b of BATCHES) {
          const c = await checksum(w, impl, b);
          if (c instanceof Unsupported) {
            ctx.skip(`${name} cannot run ${w.name} yet: ${c.message}`);
            return;
          }
          expect(c, `${w.name} @ batches of ${b}`).toBe(await referenceOf(w, b));
        }
      });
    }
    it(`${w.name}: results are not trivial`, async () => {
      for (const b of BATCHES) {
        const rows = Number((await referenceOf(w, b)).split(":")[0]);
        expect(rows).toBeGreaterThan(10);
      }
    });
  }
});

describe("Checksum", () => {
  it("add3/add4 give the checksum of the same rows added as arrays, in any order", () => {
    const rows = [
      [1_700_000_000_123, 42, 7],
      [0, -3, 2 ** 52],
      [5, 6, 7, 8],
      [1_700_000_060_000, 999_999, 1, 0],
    ];
    const byArray = new Checksum();
    for (const r of rows) byArray.add(r);
    const byFields = new Checksum();
    for (const r of [...rows].reverse()) {
      if (r.length === 3) byFields.add3(r[0] as number, r[1] as number, r[2] as number);
      else byFields.add4(r[0] as number, r[1] as number, r[2] as number, r[3] as number);
    }
    expect(byFields.value()).toBe(byArray.value());
    // A 3-field row is not a 4-field row with a trailing zero.
    const three = new Checksum();
    three.add3(5, 6, 7);
    const four = new Checksum();
    four.add4(5, 6, 7, 0);
    expect(three.value()).not.toBe(four.value());
  });
});
