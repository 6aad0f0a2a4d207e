import { memo, useDeferredValue, useMemo, useState } from "react";
import { CartesianGrid, ComposedChart, ResponsiveContainer, Scatter, XAxis, YAxis, usePlotArea, useXAxisScale, useYAxisScale } from "recharts";
import type { WireField, WireValue } from "../../../engine/worker/protocol";
import { markerShapePath } from "../../charts/markers";
import { seriesStyle } from "../../charts/palette";
import { timeTicks } from "../../charts/timeTicks";
import { formatTimestamp } from "../../format/formatValue";
import { toWindowSeries, type WindowPoint, type WindowSeries } from "../../state/windowSeries";

const time = (ms: number) => formatTimestamp(ms).slice(11);
const compactFormat = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

interface Hover {
  key: string;
  point: WindowPoint;
  px: number;
  py: number;
}

/**
 * A windowed aggregation over event time: each window is drawn as a segment
 * from its start to its end at its value, with a marker at its middle, one
 * series per key (colour and marker shape), so overlapping sliding windows show
 * as overlapping segments. Recharts gives the axes; the windows are one layer
 * drawn in its scales (its per-point Scatter components cost 100+ ms a repaint
 * on a live stream).
 */
export const WindowChart = memo(function WindowChart({ schema, rows }: { schema: WireField[]; rows: WireValue[][] }) {
  const data = useMemo(() => toWindowSeries(schema, rows), [schema, rows]);
  const [hover, setHover] = useState<Hover | null>(null);
  if (!data) return <p className="muted">No window column to chart.</p>;
  const points = data.series.flatMap((s) => s.points);
  const xMin = points.length > 0 ? Math.min(...points.map((p) => p.start)) : 0;
  const xMax = points.length > 0 ? Math.max(...points.map((p) => p.end)) : 1;
  const values = points.map((p) => p.value);
  // The axes' extent: Recharts takes their domains from this data (nice ticks on the value axis).
  const corners = [
    { mid: xMin, value: Math.min(0, ...values) },
    { mid: xMax, value: Math.max(0, ...values) },
  ];
  const notes = [
    data.hiddenKeys > 0 ? `the ${data.series.length} largest keys; ${data.hiddenKeys} more not shown` : "",
    data.hiddenWindows > 0 ? `the newest windows; ${data.hiddenWindows.toLocaleString("en-US")} older not shown` : "",
  ].filter((n) => n !== "");
  return (
    <figure className="chart window-chart" data-testid="window-chart" data-series={data.series.length} data-windows={points.length}>
      <figcaption>
        {data.valueColumn} per {data.windowColumn}
        {data.keyColumns.length > 0 ? ` by ${data.keyColumns.join(", ")}` : ""}, over event time
        {notes.length > 0 ? ` (${notes.join("; ")})` : ""}
      </figcaption>
      <div className="window-chart__plot" style={{ height: 260 }}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart margin={{ top: 8, right: 40, bottom: 8, left: 8 }} data={corners}>
            <CartesianGrid strokeDasharray="3 3" />
            {/* Ticks given, and interval 0: Recharts otherwise measures every tick label in the DOM to thin them, each repaint. */}
            <XAxis type="number" dataKey="mid" domain={[xMin, xMax]} ticks={timeTicks(xMin, xMax)} interval={0} tickFormatter={time} name="event time" allowDataOverflow />
            <YAxis type="number" dataKey="value" width={48} interval={0} name={data.valueColumn} tickFormatter={(n: number) => compactFormat.format(n)} />
            <Scatter data={corners} fill="transparent" isAnimationActive={false} legendType="none" />
            <WindowLayer series={data.series} onHover={setHover} />
          </ComposedChart>
        </ResponsiveContainer>
        {hover && <WindowHover hover={hover} valueColumn={data.valueColumn} />}
      </div>
      <ul className="window-chart__legend" aria-label="Keys">
        {data.series.map((s, i) => {
          const style = seriesStyle(i);
          return (
            <li key={s.key}>
              <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">
                <path d={markerShapePath(style.shape, 6, 6, 4)} fill={style.colour} stroke={style.colour} strokeWidth={style.shape === "wye" ? 2 : 0.5} />
              </svg>
              <span style={{ color: style.colour }}>{s.key}</span>
            </li>
          );
        })}
      </ul>
    </figure>
  );
});

type Scale = (v: number) => number | undefined;

interface Geometry {
  series: WindowSeries[];
  x: Scale;
  y: Scale;
}

/**
 * Reads Recharts' scales, and hands them on deferred: Recharts re-renders its layers
 * synchronously through its store, so the windows are drawn in a later, interruptible
 * render rather than inside that one.
 */
function WindowLayer({ series, onHover }: { series: WindowSeries[]; onHover: (h: Hover | null) => void }) {
  const x = useXAxisScale() as Scale | undefined;
  const y = useYAxisScale() as Scale | undefined;
  const plot = usePlotArea();
  const geometry = useMemo<Geometry | null>(() => (x && y ? { series, x, y } : null), [series, x, y]);
  const deferred = useDeferredValue(geometry);
  if (!deferred || !plot) return null;
  return <WindowShapes geometry={deferred} onHover={onHover} />;
}

const WindowShapes = memo(function WindowShapes({ geometry, onHover }: { geometry: Geometry; onHover: (h: Hover | null) => void }) {
  const { series, x, y } = geometry;
  const where = (target: EventTarget): Hover | null => {
    const el = target as Element;
    const s = series[Number(el.getAttribute("data-series-index"))];
    const point = s?.points[Number(el.getAttribute("data-point-index"))];
    if (!s || !point) return null;
    return { key: s.key, point, px: x((point.start + point.end) / 2) ?? 0, py: y(point.value) ?? 0 };
  };
  return (
    <g className="window-segments" onMouseOver={(e) => onHover(where(e.target))} onMouseOut={() => onHover(null)}>
      {series.map((s, i) => {
        const style = seriesStyle(i);
        return (
          <g key={s.key} fill={style.colour} stroke={style.colour}>
            {s.points.map((p, j) => {
              const x1 = x(p.start);
              const x2 = x(p.end);
              const yy = y(p.value);
              if (x1 === undefined || x2 === undefined || yy === undefined) return null;
              return (
                // A series can hold several windows with one start (numeric keys are not series).
                <g key={j} data-series-index={i} data-point-index={j}>
                  <rect
                    data-testid="window-segment"
                    data-series-index={i}
                    data-point-index={j}
                    x={x1 + 1}
                    width={Math.max(1, x2 - x1 - 2)}
                    y={yy - 2}
                    height={4}
                    fillOpacity={0.55}
                    strokeDasharray={style.dash}
                  />
                  <path
                    data-series-index={i}
                    data-point-index={j}
                    d={markerShapePath(style.shape, (x1 + x2) / 2, yy)}
                    strokeWidth={style.shape === "wye" ? 2 : 0.5}
                  />
                </g>
              );
            })}
          </g>
        );
      })}
    </g>
  );
});

function WindowHover({ hover, valueColumn }: { hover: Hover; valueColumn: string }) {
  const { point: p } = hover;
  return (
    <div
      className="chart-tooltip chart-hover"
      data-testid="window-hover"
      role="tooltip"
      style={{ left: hover.px, top: Math.max(0, hover.py - 12), transform: hover.px > 560 ? "translateX(calc(-100% - 14px))" : "translateX(14px)" }}
    >
      <strong>{hover.key}</strong>
      <div>
        [{formatTimestamp(p.start)}, {formatTimestamp(p.end)})
      </div>
      <div>
        {valueColumn}: {p.value}
      </div>
    </div>
  );
}
