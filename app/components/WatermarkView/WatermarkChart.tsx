import { memo, useRef, type MouseEvent } from "react";
import { CartesianGrid, ComposedChart, ResponsiveContainer, Scatter, XAxis, YAxis, usePlotArea, useXAxisScale, useYAxisInverseScale, useYAxisScale } from "recharts";
import { formatTimestamp } from "../../format/formatValue";
import type { WatermarkPoint, WatermarkSeries } from "../../state/watermarkSeries";

const clock = (ms: number) => formatTimestamp(ms).slice(11, 19);

const TICK_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400].map((s) => s * 1000);

/** Round-time ticks (whole seconds, minutes…) across [lo, hi], at most `max` of them. */
export function timeTicks(lo: number, hi: number, max = 7): number[] {
  const step = TICK_STEPS.find((s) => (hi - lo) / s <= max) ?? TICK_STEPS[TICK_STEPS.length - 1]!;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) out.push(t);
  return out;
}

/** Colour and marker per status: colour is never the only channel (Okabe–Ito colours, three shapes). */
export const STATUS_STYLE = {
  "on-time": { colour: "#0072B2", label: "on time" },
  "late-counted": { colour: "#E69F00", label: "late, counted" },
  dropped: { colour: "#D55E00", label: "dropped" },
} as const;

/** A marker of 4.5 px radius: circle (on time), triangle (late, counted), cross (dropped). */
export function markerPath(status: WatermarkPoint["status"], x: number, y: number): string {
  const r = 4.5;
  switch (status) {
    case "on-time":
      return `M${x - r},${y}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`;
    case "late-counted":
      return `M${x},${y - r}L${x + r},${y + r * 0.8}L${x - r},${y + r * 0.8}Z`;
    case "dropped":
      return `M${x - r},${y - r}L${x + r},${y + r}M${x + r},${y - r}L${x - r},${y + r}`;
  }
}

export interface HoverTarget {
  point: WatermarkPoint;
  /** Pixel position inside the chart. */
  px: number;
  py: number;
}

export interface WatermarkChartProps {
  series: WatermarkSeries;
  onHover: (target: HoverTarget | null) => void;
  /** A click in the plot: the event time under the pointer. */
  onPick?: (eventTimeMs: number) => void;
  /** Events added by hand and not yet read by a batch: drawn hollow at the right edge. */
  pending: readonly number[];
}

/**
 * Processing time (x) against event time (y): each row a marker, the watermark a
 * step line that moves at batch boundaries, windows as bands over event time from
 * their first row to their output. Recharts gives the axes and scales; the layer is
 * drawn in one pass in those scales (thousands of markers, each with test hooks).
 */
export const WatermarkChart = memo(function WatermarkChart({ series, onHover, onPick, pending }: WatermarkChartProps) {
  const corners = [
    { x: series.xDomain[0], y: series.yDomain[0] },
    { x: series.xDomain[1], y: series.yDomain[1] },
  ];
  const pad = (series.yDomain[1] - series.yDomain[0]) * 0.05;
  const yDomain: [number, number] = [series.yDomain[0] - pad, series.yDomain[1] + pad];
  return (
    <div style={{ height: 340 }}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart margin={{ top: 10, right: 20, bottom: 24, left: 8 }} data={corners}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            type="number"
            dataKey="x"
            domain={series.xDomain}
            ticks={timeTicks(series.xDomain[0], series.xDomain[1])}
            tickFormatter={clock}
            label={{ value: "processing time (batch)", position: "insideBottom", offset: -14 }}
            allowDataOverflow
          />
          <YAxis
            type="number"
            dataKey="y"
            domain={yDomain}
            ticks={timeTicks(yDomain[0], yDomain[1], 6)}
            tickFormatter={clock}
            width={100}
            label={{ value: `event time (${series.eventTimeColumn})`, angle: -90, position: "insideLeft", offset: 4, style: { textAnchor: "middle" } }}
            allowDataOverflow
          />
          <Scatter data={corners} fill="transparent" isAnimationActive={false} legendType="none" />
          <WatermarkLayer series={series} onHover={onHover} pending={pending} {...(onPick ? { onPick } : {})} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
});

function WatermarkLayer({ series, onHover, onPick, pending }: WatermarkChartProps) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  const yInverse = useYAxisInverseScale();
  const plot = usePlotArea();
  const clickArea = useRef<SVGRectElement>(null);
  if (!x || !y || !plot) return null;
  const X = (v: number) => x(v) ?? 0;
  const Y = (v: number) => y(v) ?? 0;
  const left = plot.x;
  const right = plot.x + plot.width;
  const clampY = (v: number) => Math.min(plot.y + plot.height, Math.max(plot.y, v));

  // The watermark: from each batch on, its value (stepAfter); before the first value above 0 it is "none".
  let line = "";
  for (const s of series.steps) {
    if (s.watermarkMs <= 0) continue;
    const sx = Math.max(left, X(s.x));
    const sy = clampY(Y(s.watermarkMs));
    line += line === "" ? `M${sx},${sy}` : `H${sx}V${sy}`;
  }
  if (line !== "") line += `H${right}`;

  const pick = (e: MouseEvent<SVGRectElement>) => {
    if (!onPick || !yInverse || !clickArea.current) return;
    const box = clickArea.current.getBoundingClientRect();
    const py = plot.y + ((e.clientY - box.top) / box.height) * plot.height;
    const t = yInverse(py);
    if (typeof t === "number" && Number.isFinite(t)) onPick(Math.round(t));
  };

  return (
    <g className="watermark-layer">
      <rect
        ref={clickArea}
        data-testid="watermark-plot"
        x={left}
        y={plot.y}
        width={plot.width}
        height={plot.height}
        fill="transparent"
        style={{ cursor: onPick ? "crosshair" : "default" }}
        onClick={pick}
      />
      <g className="watermark-bands" pointerEvents="none">
        {series.bands.map((b) => {
          const y1 = clampY(Y(b.end));
          const y2 = clampY(Y(b.start));
          const x1 = Math.max(left, X(b.fromX));
          const x2 = b.outputX === null ? right : Math.min(right, Math.max(x1 + 2, X(b.outputX)));
          const emitted = b.outputX !== null && series.outputMode === "append";
          return (
            <g key={`${b.start}-${b.end}`} data-testid="window-band" data-start={b.start} data-end={b.end} data-output-batch={b.outputBatchId ?? ""}>
              <rect x={x1} y={y1} width={Math.max(1, x2 - x1)} height={Math.max(1, y2 - y1)} fill="#009E73" fillOpacity={emitted ? 0.05 : 0.1} stroke="#009E73" strokeOpacity={0.35} />
              {b.outputX !== null && (
                <line x1={x2} x2={x2} y1={y1} y2={y2} stroke="#009E73" strokeWidth={emitted ? 3 : 1.5} pointerEvents="stroke">
                  <title>
                    Window [{clock(b.start)}, {clock(b.end)}): {emitted ? "emitted" : "last updated"} in batch {b.outputBatchId}
                  </title>
                </line>
              )}
            </g>
          );
        })}
      </g>
      {line !== "" && <path d={line} data-testid="watermark-line" fill="none" stroke="var(--text, #222)" strokeWidth={2} pointerEvents="none" />}
      <g
        className="watermark-points"
        onMouseOver={(e) => {
          const i = Number((e.target as Element).getAttribute("data-index"));
          const p = series.points[i];
          if (p !== undefined) onHover({ point: p, px: X(p.x), py: Y(p.y) });
        }}
        onMouseOut={() => onHover(null)}
      >
        {series.points.map((p, i) => {
          const style = STATUS_STYLE[p.status];
          return (
            <path
              key={`${p.batchId}:${p.x}`}
              d={markerPath(p.status, X(p.x), Y(p.y))}
              data-testid="wm-point"
              data-index={i}
              data-status={p.status}
              data-batch={p.batchId}
              data-event-time={p.y}
              {...(p.group !== null ? { "data-group": p.group } : {})}
              fill={p.status === "dropped" ? "none" : style.colour}
              fillOpacity={p.status === "on-time" ? 0.55 : 0.9}
              stroke={style.colour}
              strokeWidth={p.status === "dropped" ? 2 : 1}
            />
          );
        })}
      </g>
      <g className="watermark-pending" pointerEvents="none">
        {pending.map((t, i) => (
          <circle key={i} data-testid="wm-pending" cx={right - 8} cy={clampY(Y(t))} r={5} fill="none" stroke="var(--text, #222)" strokeDasharray="2 2" />
        ))}
      </g>
    </g>
  );
}
