import { memo, useMemo, type ReactNode } from "react";
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { WireProgress } from "../../../engine/worker/protocol";
import { seriesStyle } from "../../charts/palette";
import { formatTimestamp } from "../../format/formatValue";
import { toProgressPoints, type ProgressPoint } from "../../state/progressSeries";

const CHART_HEIGHT = 150;
const compactFormat = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const compact = (n: number) => compactFormat.format(n);
const [IN, OUT, THIRD] = [seriesStyle(0), seriesStyle(1), seriesStyle(2)];

/**
 * Spark UI's Structured Streaming tab, per query and live: input vs processing
 * rate, batch duration, rows in state, the watermark's gap to the max event
 * time, and rows dropped by the watermark, over the recent batches. No
 * animation: the data changes every batch.
 */
export const ProgressPanel = memo(function ProgressPanel({ progress }: { progress: readonly WireProgress[] }) {
  const points = useMemo(() => toProgressPoints(progress), [progress]);
  const last = points.at(-1);
  if (!last) return <p className="muted">No batch has run yet.</p>;
  const hasState = points.some((p) => p.stateRows > 0 || p.droppedByWatermark > 0);
  const hasWatermark = progress.some((p) => p.eventTime.watermark !== undefined);

  return (
    <div className="progress-panel" data-testid="progress-panel">
      <dl className="progress-panel__facts">
        <Fact label="Batch" value={String(last.batchId)} />
        <Fact label="Input rows/s" value={last.inputRowsPerSecond.toFixed(1)} />
        <Fact label="Processed rows/s" value={last.processedRowsPerSecond.toFixed(1)} />
        <Fact label="Batch duration" value={`${last.batchDurationMs} ms`} />
        {hasState && <Fact label="Rows in state" value={String(last.stateRows)} testId="fact-state-rows" />}
        {hasState && <Fact label="Dropped by watermark" value={String(last.droppedByWatermark)} testId="fact-dropped" />}
        {hasWatermark && (
          <Fact label="Watermark" value={last.watermarkMs === null ? "none yet" : formatTimestamp(last.watermarkMs)} testId="fact-watermark" />
        )}
      </dl>
      <div className="progress-panel__charts">
        <BatchChart title="Input vs processing rate (rows/s)" points={points}>
          <Line isAnimationActive={false} dataKey="inputRowsPerSecond" name="input" stroke={IN.colour} dot={false} />
          <Line isAnimationActive={false} dataKey="processedRowsPerSecond" name="processed" stroke={OUT.colour} strokeDasharray={OUT.dash} dot={false} />
        </BatchChart>
        <BatchChart title="Batch duration (ms) and input rows" points={points}>
          <Bar isAnimationActive={false} dataKey="batchDurationMs" name="duration ms" fill={IN.colour} />
          <Line isAnimationActive={false} dataKey="numInputRows" name="input rows" stroke={OUT.colour} strokeDasharray={OUT.dash} dot={false} />
        </BatchChart>
        {hasState && (
          <BatchChart title="Rows in state and dropped by watermark" points={points}>
            <Line isAnimationActive={false} dataKey="stateRows" name="rows in state" stroke={IN.colour} dot={false} />
            <Bar isAnimationActive={false} dataKey="droppedByWatermark" name="dropped" fill={THIRD.colour} />
          </BatchChart>
        )}
        {hasWatermark && (
          <BatchChart title="Gap from watermark to max event time (s)" points={points} legend={false}>
            <Line isAnimationActive={false} dataKey="watermarkGapSeconds" name="gap s" stroke={THIRD.colour} dot={false} connectNulls />
          </BatchChart>
        )}
      </div>
    </div>
  );
});

function Fact({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="fact" data-testid={testId}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/** One progress chart: batches on the x axis, the series given as children, never animated. */
function BatchChart({ title, points, legend = true, children }: { title: string; points: ProgressPoint[]; legend?: boolean; children: ReactNode }) {
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div style={{ height: CHART_HEIGHT }}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={points}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="batchId" />
            <YAxis width={48} tickFormatter={compact} />
            <Tooltip />
            {legend && <Legend />}
            {children}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
