import { formatTimestamp } from "../../format/formatValue";
import type { DStreamBatch } from "../../state/cellOutput";

/**
 * A DStream program's batches: one bar per batch interval, its height the
 * records in the batch's RDD, split into the receiver blocks that made it
 * (Spark Streaming collects received lines into a block every block interval,
 * and each batch interval's blocks become one RDD).
 */
export function DStreamTimeline({ batches }: { batches: DStreamBatch[] }) {
  if (batches.length === 0) return null;
  const max = Math.max(1, ...batches.map((b) => b.numRecords));
  return (
    <figure className="dstream-timeline" data-testid="dstream-timeline">
      <figcaption>
        Batches (one RDD per batch interval, made of receiver blocks) · last: {formatTimestamp(batches.at(-1)!.batchTimeMs)}
      </figcaption>
      <div className="dstream-timeline__scroll">
      <ol className="dstream-timeline__bars">
        {batches.map((b) => (
          <li
            key={b.batchTimeMs}
            className="dstream-batch"
            data-testid="dstream-batch"
            data-records={b.numRecords}
            title={`Time: ${b.batchTimeMs} ms — ${b.numRecords} records in ${b.blocks.length} blocks${b.processingDelayMs !== null ? `, processed in ${b.processingDelayMs} ms` : ""}`}
          >
            <span className="dstream-batch__stack" style={{ height: `${(b.numRecords / max) * 100}%` }}>
              {b.blocks.map((block) => (
                <span key={block.id} className="dstream-block" style={{ flexGrow: block.numRecords }} />
              ))}
            </span>
          </li>
        ))}
      </ol>
      <DStreamWindows batches={batches} />
      </div>
    </figure>
  );
}

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

/**
 * Windowed DStreams over the same batches: for each, every window it computed drawn
 * under the batches it covers — (now − windowDuration, now], every slideDuration —
 * overlapping windows on lanes of their own.
 */
function DStreamWindows({ batches }: { batches: DStreamBatch[] }) {
  const streams = new Map<string, { windowMs: number; slideMs: number }>();
  for (const b of batches) for (const w of b.windows ?? []) streams.set(w.stream, { windowMs: w.windowMs, slideMs: w.slideMs });
  if (streams.size === 0) return null;
  const n = batches.length;
  return (
    <div className="dstream-windows" data-testid="dstream-windows">
      {[...streams].map(([stream, spec]) => {
        const lanes = Math.max(1, Math.ceil(spec.windowMs / spec.slideMs));
        const spans: Array<{ key: number; from: number; to: number; lane: number; records: number; toMs: number; fromMs: number }> = [];
        let k = 0;
        batches.forEach((b, i) => {
          const w = b.windows?.find((x) => x.stream === stream);
          if (!w || w.toMs === null || w.fromMs === null) return;
          const fromMs = w.fromMs;
          const first = batches.findIndex((x) => x.batchTimeMs > fromMs);
          const covered = batches.slice(first, i + 1);
          spans.push({ key: b.batchTimeMs, from: first, to: i, lane: k++ % lanes, records: covered.reduce((s, x) => s + x.numRecords, 0), toMs: w.toMs, fromMs });
        });
        return (
          <div key={stream} className="dstream-windows__stream" data-testid="dstream-window-stream" data-window-ms={spec.windowMs} data-slide-ms={spec.slideMs}>
            <span className="dstream-windows__label">
              window {seconds(spec.windowMs)}, slide {seconds(spec.slideMs)}
            </span>
            <div className="dstream-windows__lanes" style={{ gridTemplateColumns: `repeat(${n}, 14px)`, gridTemplateRows: `repeat(${lanes}, 10px)` }}>
              {spans.map((sp) => (
                <span
                  key={sp.key}
                  className="dstream-window"
                  data-testid="dstream-window"
                  data-batches={sp.to - sp.from + 1}
                  title={`Window (${formatTimestamp(sp.fromMs)}, ${formatTimestamp(sp.toMs)}]: ${sp.to - sp.from + 1} batches, ${sp.records} records`}
                  style={{ gridColumn: `${sp.from + 1} / ${sp.to + 2}`, gridRow: sp.lane + 1 }}
                />
              ))}
            </div>
          </div>
        );
      })}
    </div>
  );
}
