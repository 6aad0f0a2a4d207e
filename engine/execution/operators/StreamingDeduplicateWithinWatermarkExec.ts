import type { Attribute } from "../../expressions/Expression";
import type { Value } from "../../expressions/types";
import type { StateKey } from "../../state/StateStore";
import { IllegalStateException } from "../../util/errors";
import { getValue, type ColumnarBatch, type ColumnVector } from "../ColumnarBatch";
import { attrString, type PhysicalOperator } from "../PhysicalOperator";
import { BaseStreamingDeduplicateExec, eventTimeOfValue } from "./StreamingDeduplicateExec";
import type { DedupExpiry } from "./numericDeduplicateState";

/**
 * Spark's StreamingDeduplicateWithinWatermarkExec (dropDuplicatesWithinWatermark): the first
 * row of a key wins and the key is remembered until its first event time + the watermark
 * delay; once the watermark reaches that time the key is evicted and may appear again.
 * Rows at or below the late-events watermark are dropped. The analyzer guarantees the
 * input has an event-time column (Spark's error otherwise).
 */
export class StreamingDeduplicateWithinWatermarkExec extends BaseStreamingDeduplicateExec {
  override readonly operatorName = "dedupeWithinWatermark";
  private readonly delayMs: number;

  constructor(operatorId: number, keys: readonly Attribute[], child: PhysicalOperator) {
    super(operatorId, keys, child);
    const attr = child.output[this.eventTimeOrdinal];
    if (attr === undefined || attr.eventTimeDelayMs === undefined) {
      throw new IllegalStateException("dropDuplicatesWithinWatermark needs an event-time column", "INTERNAL_ERROR");
    }
    this.delayMs = attr.eventTimeDelayMs;
  }

  protected valueFor(input: ColumnarBatch, row: number): Value {
    // State value: the time at which the key expires (Spark stores it as the value row).
    const t = eventTimeOfValue(getValue(input.columns[this.eventTimeOrdinal] as ColumnVector, row));
    return t === null ? null : t + this.delayMs;
  }

  protected expiryOf(_key: StateKey, value: Value): number | null {
    return typeof value === "number" ? value : null;
  }

  protected get evicts(): boolean {
    return true;
  }

  protected override get storesExpiry(): boolean {
    return true;
  }

  protected numericExpiry(): DedupExpiry {
    return { value: true };
  }

  protected override expiryFromEventTime(eventTime: number | null): number | null {
    return eventTime === null ? null : eventTime + this.delayMs;
  }

  describe(): string {
    return `StreamingDeduplicateWithinWatermark [${this.keys.map(attrString).join(", ")}], operatorId = ${this.operatorId}`;
  }
}
