import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef } from "react";
import type { WireField, WireValue } from "../../../engine/worker/protocol";
import { formatValue } from "../../format/formatValue";

const ROW_HEIGHT = 26;
/** The table grows with its rows up to this many, then scrolls. */
const MAX_VISIBLE_ROWS = 10;

export interface ResultTableProps {
  schema: WireField[];
  rows: WireValue[][];
  /** Indexes of rows the last batch added or changed: highlighted. */
  changed: ReadonlySet<number>;
  /** Follow new rows at the bottom (append mode). */
  follow: boolean;
  testId?: string;
}

/**
 * A virtualized, fixed-row-height table: only the visible rows are in the
 * DOM, so a result of 10,000 rows costs what 20 do. Values are rendered as
 * text, never as HTML.
 */
export function ResultTable({ schema, rows, changed, follow, testId }: ResultTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });

  useEffect(() => {
    if (follow && rows.length > 0) virtual.scrollToIndex(rows.length - 1, { align: "end" });
  }, [follow, rows.length, virtual]);

  const columns = `repeat(${Math.max(1, schema.length)}, minmax(7rem, 1fr))`;
  return (
    <div className="result-table" role="table" aria-rowcount={rows.length + 1} data-testid={testId ?? "result-table"} data-rows={rows.length}>
      <div className="result-table__head" role="row" style={{ gridTemplateColumns: columns }}>
        {schema.map((f) => (
          <div role="columnheader" key={f.name} title={`${f.name}: ${f.type}`}>
            {f.name}
            <span className="result-table__type">{f.type}</span>
          </div>
        ))}
      </div>
      <div className="result-table__body" ref={scroller} style={{ height: ROW_HEIGHT * Math.min(MAX_VISIBLE_ROWS, Math.max(2, rows.length)) + 2 }}>
        <div style={{ height: virtual.getTotalSize(), position: "relative" }}>
          {virtual.getVirtualItems().map((item) => {
            const row = rows[item.index]!;
            return (
              <div
                role="row"
                key={item.key}
                data-testid="result-row"
                className={changed.has(item.index) ? "result-table__row is-changed" : "result-table__row"}
                style={{ gridTemplateColumns: columns, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
              >
                {schema.map((f, i) => (
                  <div role="cell" key={f.name}>
                    {formatValue(row[i] ?? null, f.type)}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
        {rows.length === 0 && <div className="result-table__empty">No rows yet.</div>}
      </div>
    </div>
  );
}
