import { memo, useMemo } from "react";
import { CartesianGrid, ComposedChart, Legend, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis, useXAxisScale, useYAxisScale } from "recharts";
import type { WireField, WireValue } from "../../../engine/worker/protocol";
import { seriesStyle } from "../../charts/palette";
import { formatTimestamp } from "../../format/formatValue";
import { toWindowSeries, type WindowSeries } from "../../state/windowSeries";

const time = (ms: number) => formatTimestamp(ms).slice(11);
const compactFormat = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/**
 * A windowed aggregation over event time: each window is drawn as a segment
 * from its start to its end at its value, one series per key (colour and
 * marker shape), so overlapping sliding windows show as overlapping segments.
 */
export const WindowChart = memo(function WindowChart({ schema, rows }: { schema: WireField[]; rows: WireValue[][] }) {
  const data = useMemo(() => toWindowSeries(schema, rows), [schema, rows]);
  if (!data) return <p className="muted">No window column to chart.</p>;
  const points = data.series.flatMap((s) => s.points);
  const xMin = Math.min(...points.map((p) => p.start));
  const xMax = Math.max(...points.map((p) => p.end));
  return (
    <figure className="chart window-chart" data-testid="window-chart" data-series={data.series.length} data-windows={points.length}>
      <figcaption>
        {data.valueColumn} per {data.windowColumn}
        {data.keyColumns.length > 0 ? ` by ${data.keyColumns.join(", ")}` : ""}, over event time
        {data.hiddenKeys > 0 ? ` (the ${data.series.length} largest keys; ${data.hiddenKeys} more not shown)` : ""}
      </figcaption>
      <div style={{ height: 260 }}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" dataKey="mid" domain={[xMin, xMax]} tickFormatter={time} name="event time" />
            <YAxis type="number" dataKey="value" width={48} name={data.valueColumn} tickFormatter={(n: number) => compactFormat.format(n)} />
            <Tooltip
              isAnimationActive={false}
              formatter={(value) => String(value)}
              labelFormatter={() => ""}
              content={({ payload }) => {
                const p = payload?.[0]?.payload as { start: number; end: number; value: number; key: string } | undefined;
                if (!p) return null;
                return (
                  <div className="chart-tooltip">
                    <strong>{p.key}</strong>
                    <div>
                      [{formatTimestamp(p.start)}, {formatTimestamp(p.end)})
                    </div>
                    <div>
                      {data.valueColumn}: {p.value}
                    </div>
                  </div>
                );
              }}
            />
            <Legend />
            {data.series.map((s, i) => {
              const style = seriesStyle(i);
              return (
                <Scatter
                  key={s.key}
                  name={s.key}
                  isAnimationActive={false}
                  data={s.points.map((p) => ({ ...p, mid: (p.start + p.end) / 2, key: s.key }))}
                  fill={style.colour}
                  shape={style.shape}
                />
              );
            })}
            <WindowSegments series={data.series} />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
});

/** The [start, end) segments, drawn in the chart's own scales. */
function WindowSegments({ series }: { series: WindowSeries[] }) {
  const x = useXAxisScale();
  const y = useYAxisScale();
  if (!x || !y) return null;
  return (
    <g className="window-segments">
      {series.flatMap((s, i) => {
        const style = seriesStyle(i);
        return s.points.map((p) => {
          const x1 = x(p.start);
          const x2 = x(p.end);
          const yy = y(p.value);
          if (x1 === undefined || x2 === undefined || yy === undefined) return null;
          return (
            <rect
              key={`${s.key}:${p.start}`}
              data-testid="window-segment"
              x={x1 + 1}
              width={Math.max(1, x2 - x1 - 2)}
              y={yy - 2}
              height={4}
              fill={style.colour}
              fillOpacity={0.55}
              stroke={style.colour}
              strokeDasharray={style.dash}
            />
          );
        });
      })}
    </g>
  );
}
