import { useMemo } from "react";
import { seriesStyle } from "../../charts/palette";
import type { QueryOutput } from "../../state/cellOutput";
import { useThrottled } from "../../state/useThrottled";

const ROW = 28;
const LABEL = 150;
const WIDTH = 900;

interface Bar {
  batchId: number;
  startMs: number;
  durationMs: number;
  noData: boolean;
}

/**
 * The cell's queries on one timeline: each batch a bar at its trigger's start,
 * as long as it ran (at least a sliver), hollow for no-data batches — so
 * triggers can be compared: default runs batch after batch, processingTime
 * on its interval, once and availableNow a few batches and then stop.
 */
export function QueryTimeline({ queries }: { queries: QueryOutput[] }) {
  const shown = useThrottled(queries, 500);
  const rows = useMemo(
    () =>
      shown
        .filter((q) => q.outputMode !== "static")
        .map((q) => ({
          name: q.name ?? q.queryId.slice(0, 8),
          bars: q.progress.map(
            (p): Bar => ({
              batchId: p.batchId,
              startMs: Date.parse(p.timestamp),
              durationMs: p.durationMs.triggerExecution ?? 0,
              noData: p.numInputRows === 0,
            }),
          ),
        })),
    [shown],
  );
  const all = rows.flatMap((r) => r.bars).filter((b) => Number.isFinite(b.startMs));
  if (rows.length < 2 || all.length === 0) return null;
  const t0 = Math.min(...all.map((b) => b.startMs));
  const t1 = Math.max(...all.map((b) => b.startMs + b.durationMs), t0 + 1000);
  const x = (ms: number) => LABEL + ((ms - t0) / (t1 - t0)) * (WIDTH - LABEL - 10);
  const seconds = Math.ceil((t1 - t0) / 1000);
  const tickEvery = Math.max(1, Math.ceil(seconds / 10));

  return (
    <figure className="chart query-timeline" data-testid="query-timeline">
      <figcaption>Batches of this cell's queries on one timeline (each bar a trigger; hollow: no-data batch)</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${rows.length * ROW + 24}`} width="100%" role="img" aria-label="Batch timeline of the cell's queries">
        {Array.from({ length: Math.floor(seconds / tickEvery) + 1 }, (_, i) => i * tickEvery).map((s) => (
          <g key={s}>
            <line x1={x(t0 + s * 1000)} x2={x(t0 + s * 1000)} y1={0} y2={rows.length * ROW} className="query-timeline__grid" />
            <text x={x(t0 + s * 1000)} y={rows.length * ROW + 16} className="query-timeline__tick">
              {s}s
            </text>
          </g>
        ))}
        {rows.map((row, i) => {
          const style = seriesStyle(i);
          return (
            <g key={row.name} data-testid="timeline-row" data-query={row.name} data-batches={row.bars.length}>
              <text x={4} y={i * ROW + ROW / 2 + 4} className="query-timeline__label">
                {row.name}
              </text>
              {row.bars.map((b) => (
                <rect
                  key={b.batchId}
                  x={x(b.startMs)}
                  y={i * ROW + 5}
                  width={Math.max(2, x(b.startMs + b.durationMs) - x(b.startMs))}
                  height={ROW - 10}
                  fill={b.noData ? "none" : style.colour}
                  stroke={style.colour}
                >
                  <title>{`${row.name} batch ${b.batchId}: ${b.durationMs} ms${b.noData ? ", no data" : ""}`}</title>
                </rect>
              ))}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
