import { useEffect, useMemo, useState } from "react";
import type { WireLateRows, WireProgress } from "../../../engine/worker/protocol";
import { formatTimestamp, formatValue } from "../../format/formatValue";
import { toWatermarkSeries, type WatermarkSeries } from "../../state/watermarkSeries";
import { InjectEventForm } from "./InjectEventForm";
import { ReplayPanel } from "./ReplayPanel";
import { STATUS_STYLE, WatermarkChart, markerPath, type HoverTarget } from "./WatermarkChart";

export interface WatermarkViewProps {
  queryId: string;
  active: boolean;
  progress: readonly WireProgress[];
  watermark: { column: string; delayMs: number };
}

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);
const clock = (ms: number) => formatTimestamp(ms).slice(11);

/** The sentence that says how the stateful operator judges a row. */
function ruleText(rule: WireLateRows["rule"], outputMode: string): string {
  switch (rule.kind) {
    case "window": {
      const sliding = rule.slideMs !== rule.windowMs ? `, sliding every ${seconds(rule.slideMs)}` : "";
      return `Windows of ${seconds(rule.windowMs)}${sliding}. A row at or behind the watermark it met is late; it is still counted while a window it belongs to is open (ends after the watermark), and dropped when all of them have ended.`;
    }
    case "session":
      return "Session windows: a row is dropped when its own session (event time + gap) ends at or behind the watermark it met; a late row whose session still reaches past the watermark is counted.";
    case "eventTime":
      return "A row at or behind the watermark it met is dropped.";
    case "none":
      return outputMode === "complete"
        ? "Complete mode keeps every group: late rows are marked, but nothing is dropped."
        : "No stateful operator reads the watermark here: late rows are marked, but nothing is dropped.";
  }
}

/**
 * The watermark view: every row the query read, by processing time and event time,
 * marked on time / late but counted / dropped by the stateful operator's own rule,
 * the watermark stepping at batch boundaries, windows as bands; counts that match
 * `numRowsDroppedByWatermark`; events added by hand; a replay with another delay.
 */
export function WatermarkView({ queryId, active, progress, watermark }: WatermarkViewProps) {
  const series = useMemo(() => toWatermarkSeries(progress), [progress]);
  const [hover, setHover] = useState<HoverTarget | null>(null);
  const [pending, setPending] = useState<number[]>([]);
  const [picked, setPicked] = useState<{ eventTimeMs: number; seq: number } | null>(null);
  const lastBatch = progress.at(-1)?.batchId ?? -1;
  // A hand-added event is "pending" until the next batch reads it.
  useEffect(() => setPending([]), [lastBatch]);
  const currentWatermark = series?.steps.at(-1)?.watermarkMs ?? 0;

  return (
    <section className="watermark-view" data-testid="watermark-view" aria-label="Watermark and late rows">
      <header className="watermark-view__head">
        <p className="watermark-view__rule">
          <code>
            withWatermark("{watermark.column}", "{seconds(watermark.delayMs)}")
          </code>
          : after each batch the watermark becomes <strong>max event time − {seconds(watermark.delayMs)}</strong> and never goes back.{" "}
          {series ? ruleText(series.rule, series.outputMode) : "Waiting for the first batch."}
        </p>
        {series && <Counts series={series} />}
      </header>
      {series ? (
        <div
          className="watermark-view__chart"
          role="group"
          aria-label={`Rows by processing time and event time: ${series.counts.onTime} on time, ${series.counts.lateCounted} late but counted, ${series.counts.dropped} dropped; the watermark steps at each batch. Use the form below to add an event.`}
        >
          <WatermarkChart series={series} onHover={setHover} pending={pending} {...(active ? { onPick: (t: number) => setPicked((p) => ({ eventTimeMs: t, seq: (p?.seq ?? 0) + 1 })) } : {})} />
          {hover && <HoverCard target={hover} />}
        </div>
      ) : (
        <p className="muted">No batch has read rows yet.</p>
      )}
      <div className="watermark-view__tools">
        <InjectEventForm
          queryId={queryId}
          active={active}
          currentWatermarkMs={currentWatermark}
          picked={picked}
          onInjected={(t) => setPending((p) => [...p, t])}
        />
        <ReplayPanel queryId={queryId} delayMs={watermark.delayMs} lastBatchId={lastBatch} />
      </div>
    </section>
  );
}

function Counts({ series }: { series: WatermarkSeries }) {
  const { counts, progressDropped, expectedDropped } = series;
  const matches = expectedDropped === null || expectedDropped === progressDropped;
  const groups = series.rule.kind === "window" && series.outputMode !== "complete";
  return (
    <div className="watermark-view__counts" data-testid="watermark-counts">
      <ul className="watermark-legend" aria-label="Rows by what happened to them">
        {(["on-time", "late-counted", "dropped"] as const).map((s) => (
          <li key={s}>
            <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
              <path d={markerPath(s, 7, 7)} fill={s === "dropped" ? "none" : STATUS_STYLE[s].colour} stroke={STATUS_STYLE[s].colour} strokeWidth={s === "dropped" ? 2 : 1} />
            </svg>
            {STATUS_STYLE[s].label}{" "}
            <strong data-testid={`wm-count-${s}`}>{(s === "on-time" ? counts.onTime : s === "late-counted" ? counts.lateCounted : counts.dropped).toLocaleString("en-US")}</strong>
          </li>
        ))}
        <li>
          <span className="watermark-legend__line" aria-hidden="true" /> watermark
        </li>
        <li>
          <span className="watermark-legend__band" aria-hidden="true" /> window (bar: {series.outputMode === "append" ? "emitted" : "last updated"})
        </li>
      </ul>
      <p className="watermark-view__metric">
        <code>numRowsDroppedByWatermark</code> over these {series.batches} batches: <strong data-testid="wm-progress-dropped">{progressDropped.toLocaleString("en-US")}</strong>
        {groups && (
          <>
            {" "}
            — Spark counts late rows after partial aggregation, one per (key, window) a late row missed: the rows here missed{" "}
            <strong data-testid="wm-expected-dropped">{expectedDropped ?? "?"}</strong> such groups
          </>
        )}
        {!groups && expectedDropped !== null && <span hidden data-testid="wm-expected-dropped">{expectedDropped}</span>}
        {matches ? "." : <strong className="warning"> (the view's own count differs: {expectedDropped})</strong>}
      </p>
      <p className="muted watermark-view__sampling" data-testid="wm-sampling">
        {series.onTimeSampleEvery > 1
          ? `Every late row is drawn; on-time rows are sampled, 1 in ${series.onTimeSampleEvery} per batch.`
          : "Every row is drawn."}
        {series.lateNotDrawn > 0 ? ` ${series.lateNotDrawn.toLocaleString("en-US")} late rows are counted but not drawn.` : ""} Each row sits between the
        batch that read it and the one before. Hover a row for its details; click the chart to add an event at that event time.
      </p>
    </div>
  );
}

function HoverCard({ target }: { target: HoverTarget }) {
  const p = target.point;
  const verdict =
    p.status === "on-time"
      ? "on time: after the watermark it met"
      : p.status === "late-counted"
        ? "late (at or behind the watermark) but counted: a window it belongs to was still open"
        : p.windows.length > 0
          ? "dropped: every window it belongs to had ended at or before the watermark"
          : "dropped: at or behind the watermark";
  return (
    <div className="chart-tooltip watermark-hover" data-testid="wm-hover" role="tooltip" style={{ left: target.px, top: Math.max(0, target.py - 12), transform: target.px > 560 ? "translateX(calc(-100% - 14px))" : "translateX(14px)" }}>
      <strong>
        Batch {p.batchId} · {STATUS_STYLE[p.status].label}
      </strong>
      <div>Event time {formatTimestamp(p.y)}</div>
      <div>
        Watermark it met {p.watermarkMs > 0 ? formatTimestamp(p.watermarkMs) : "none yet"}{" "}
        <span className="muted">(the previous batch's, as Spark ≥ 3.4 judges late rows)</span>
      </div>
      <div>{verdict}</div>
      {p.windows.length > 0 && (
        <ul className="watermark-hover__windows">
          {p.windows.map((w) => (
            <li key={w.start}>
              [{clock(w.start)}, {clock(w.end)}) {w.joined ? "joined" : "missed"}
            </li>
          ))}
        </ul>
      )}
      <dl className="watermark-hover__row">
        {(p.columns).map((c, i) => (
          <div key={c.name}>
            <dt>{c.name}</dt>
            <dd>{formatValue(p.values[i] ?? null, c.type)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
