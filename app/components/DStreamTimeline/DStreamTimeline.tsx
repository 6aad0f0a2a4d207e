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
    </figure>
  );
}
