import { memo, useLayoutEffect, useMemo, useRef, useState, type MouseEvent, type RefObject } from "react";
import { timeTicks } from "../../charts/timeTicks";
import { formatTimestamp } from "../../format/formatValue";
import type { WatermarkPoint, WatermarkSeries } from "../../state/watermarkSeries";

const clock = (ms: number) => formatTimestamp(ms).slice(11, 19);

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

/** Axis ticks, labels and grid lines in the chart's own colours (the result table's muted text). */
const AXIS = { line: "#666", grid: "#ccc", text: "#666", font: 12 } as const;
const HEIGHT = 340;
const MARGIN = { top: 10, right: 20, bottom: 24, left: 8 } as const;
const Y_AXIS_WIDTH = 100;
const X_AXIS_HEIGHT = 30;

type Scale = (v: number) => number;
type PlotArea = { x: number; y: number; width: number; height: number };

/** A linear scale from `domain` onto [r0, r1]. */
function linear([d0, d1]: readonly [number, number], r0: number, r1: number): Scale {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** The element's width, kept up to date as the page resizes. */
function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

/**
 * Processing time (x) against event time (y): each row a marker, the watermark a
 * step line that moves at batch boundaries, windows as bands over event time from
 * their first row to their output. Drawn as plain SVG with its own linear scales: a
 * chart library re-renders its axes synchronously on every data change (60–100 ms a
 * batch at 200,000 rows/s), while this renders in the transition that brought the data.
 */
export const WatermarkChart = memo(function WatermarkChart({ series, onHover, onPick, pending }: WatermarkChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box);
  const clickArea = useRef<SVGRectElement>(null);
  const pad = (series.yDomain[1] - series.yDomain[0]) * 0.05;
  const yDomain: [number, number] = [series.yDomain[0] - pad, series.yDomain[1] + pad];
  const plot: PlotArea = {
    x: MARGIN.left + Y_AXIS_WIDTH,
    y: MARGIN.top,
    width: Math.max(1, width - MARGIN.left - Y_AXIS_WIDTH - MARGIN.right),
    height: HEIGHT - MARGIN.top - MARGIN.bottom - X_AXIS_HEIGHT,
  };
  const geometry = useMemo<LayerGeometry>(
    () => ({
      series,
      pending,
      x: linear(series.xDomain, plot.x, plot.x + plot.width),
      y: linear(yDomain, plot.y + plot.height, plot.y),
      plot,
    }),
    // The plot area follows from the width, the domains from the series.
    [series, pending, width],
  );
  const xTicks = timeTicks(series.xDomain[0], series.xDomain[1]);
  const yTicks = timeTicks(yDomain[0], yDomain[1], 6);
  const bottom = plot.y + plot.height;

  const pick = (e: MouseEvent<SVGRectElement>) => {
    if (!onPick || !clickArea.current) return;
    const r = clickArea.current.getBoundingClientRect();
    const t = linear([r.bottom, r.top], yDomain[0], yDomain[1])(e.clientY);
    if (Number.isFinite(t)) onPick(Math.round(t));
  };

  return (
    <div ref={box} className="watermark-chart" style={{ height: HEIGHT }}>
      {width > 0 && (
        <svg width={width} height={HEIGHT} role="img" aria-label="Rows by processing time and event time, the watermark and windows">
          <g className="watermark-grid" stroke={AXIS.grid} strokeDasharray="3 3">
            {xTicks.map((t) => (
              <line key={t} x1={geometry.x(t)} x2={geometry.x(t)} y1={plot.y} y2={bottom} />
            ))}
            {yTicks.map((t) => (
              <line key={t} x1={plot.x} x2={plot.x + plot.width} y1={geometry.y(t)} y2={geometry.y(t)} />
            ))}
          </g>
          <g className="watermark-axis" fill={AXIS.text} fontSize={AXIS.font}>
            <line x1={plot.x} x2={plot.x + plot.width} y1={bottom} y2={bottom} stroke={AXIS.line} />
            {xTicks.map((t) => (
              <g key={t} transform={`translate(${geometry.x(t)},${bottom})`}>
                <line y2={6} stroke={AXIS.line} />
                <text y={20} textAnchor="middle">
                  {clock(t)}
                </text>
              </g>
            ))}
            <text x={plot.x + plot.width / 2} y={HEIGHT - 4} textAnchor="middle">
              processing time (batch)
            </text>
            <line x1={plot.x} x2={plot.x} y1={plot.y} y2={bottom} stroke={AXIS.line} />
            {yTicks.map((t) => (
              <g key={t} transform={`translate(${plot.x},${geometry.y(t)})`}>
                <line x2={-6} stroke={AXIS.line} />
                <text x={-9} dy="0.35em" textAnchor="end">
                  {clock(t)}
                </text>
              </g>
            ))}
            <text transform={`translate(${MARGIN.left + 12},${plot.y + plot.height / 2}) rotate(-90)`} textAnchor="middle">
              event time ({series.eventTimeColumn})
            </text>
          </g>
          <g className="watermark-layer">
            <rect
              ref={clickArea}
              data-testid="watermark-plot"
              x={plot.x}
              y={plot.y}
              width={plot.width}
              height={plot.height}
              fill="transparent"
              style={{ cursor: onPick ? "crosshair" : "default" }}
              onClick={pick}
            />
            <WatermarkShapes geometry={geometry} onHover={onHover} />
          </g>
        </svg>
      )}
    </div>
  );
});

interface LayerGeometry {
  series: WatermarkSeries;
  pending: readonly number[];
  x: Scale;
  y: Scale;
  plot: PlotArea;
}

const WatermarkShapes = memo(function WatermarkShapes({ geometry, onHover }: { geometry: LayerGeometry; onHover: WatermarkChartProps["onHover"] }) {
  const { series, pending, x, y, plot } = geometry;
  const X = x;
  const Y = y;
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

  return (
    <>
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
    </>
  );
});
