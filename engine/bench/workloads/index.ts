/**
 * Every workload of the benchmark (issue 9), in report order. Browser-safe: the DuckDB
 * implementations (Node-only) are attached by ../duckdb.ts.
 */
import type { Workload } from "../types";
import { stateless } from "./1-stateless";
import { tumbling1e3, tumbling1e5, tumblingNoWatermark } from "./2-tumbling";
import { sliding } from "./3-sliding";
import { session } from "./4-session";
import { dedup } from "./5-dedup";
import { join1e3, join1e6 } from "./6-join";
import { ysb } from "./7-ysb";

export const WORKLOADS: readonly Workload[] = [stateless, tumbling1e3, tumbling1e5, sliding, session, dedup, join1e3, join1e6, ysb];

/** Workloads run only for the state-over-time section (no checksum comparison). */
export const STATE_DEMO: { withWatermark: Workload; withoutWatermark: Workload } = { withWatermark: tumbling1e5, withoutWatermark: tumblingNoWatermark };
