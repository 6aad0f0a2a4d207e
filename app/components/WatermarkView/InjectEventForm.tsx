import { useEffect, useRef, useState, type FormEvent } from "react";
import { useEngine } from "../../engine-client/engineContext";
import { formatTimestamp } from "../../format/formatValue";

export interface InjectEventFormProps {
  queryId: string;
  active: boolean;
  currentWatermarkMs: number;
  /** An event time picked by clicking the chart: added at once with the form's key and value. */
  picked: { eventTimeMs: number; seq: number } | null;
  onInjected: (eventTimeMs: number) => void;
}

/**
 * "Make late data happen": one event with a chosen event time (seconds from the
 * current watermark) and key, added to the query's source; the next batch reads it.
 */
export function InjectEventForm({ queryId, active, currentWatermarkMs, picked, onInjected }: InjectEventFormProps) {
  const client = useEngine();
  const [offset, setOffset] = useState("-5");
  const [key, setKey] = useState("late");
  const [value, setValue] = useState("1");
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const seen = useRef(0);

  const inject = async (eventTimeMs: number) => {
    const v = value.trim() === "" ? null : Number(value);
    if (v !== null && !Number.isFinite(v)) {
      setMessage({ text: `The value must be a number; "${value}" is not.`, error: true });
      return;
    }
    const error = await client.injectEvent(queryId, { eventTimeMs, key: key === "" ? null : key, value: v }).catch((e: unknown) => ({ name: "Error", message: String(e) }));
    if (error) {
      setMessage({ text: `${error.name}: ${error.message}`, error: true });
      return;
    }
    const delta = (eventTimeMs - currentWatermarkMs) / 1000;
    const where = currentWatermarkMs > 0 ? ` (${Math.abs(delta)} s ${delta <= 0 ? "behind" : "after"} the watermark)` : "";
    setMessage({ text: `Added key "${key}" at event time ${formatTimestamp(eventTimeMs)}${where}: the next batch reads it.`, error: false });
    onInjected(eventTimeMs);
  };

  useEffect(() => {
    if (picked === null || picked.seq === seen.current) return;
    seen.current = picked.seq;
    void inject(picked.eventTimeMs);
    // Only a new pick adds an event (not a change of the form's fields).
  }, [picked]);

  const offsetSeconds = Number(offset);
  const valid = offset.trim() !== "" && Number.isFinite(offsetSeconds);
  const eventTime = currentWatermarkMs + (valid ? offsetSeconds * 1000 : 0);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!valid) {
      setMessage({ text: `"${offset}" is not a number of seconds.`, error: true });
      return;
    }
    void inject(Math.round(eventTime));
  };

  return (
    <form className="inject-form" data-testid="inject-form" onSubmit={submit} aria-label="Add an event by hand">
      <h4>Make late data happen</h4>
      <label>
        Event time, seconds from the watermark
        <input type="number" step="any" value={offset} onChange={(e) => setOffset(e.target.value)} data-testid="inject-offset" disabled={!active} />
      </label>
      <span className="muted" data-testid="inject-time">
        = {currentWatermarkMs > 0 && valid ? formatTimestamp(eventTime) : "watermark not set yet"}
      </span>
      <label>
        Key
        <input value={key} onChange={(e) => setKey(e.target.value)} data-testid="inject-key" disabled={!active} />
      </label>
      <label>
        Value
        <input value={value} onChange={(e) => setValue(e.target.value)} data-testid="inject-value" inputMode="numeric" disabled={!active} />
      </label>
      <button type="submit" className="button" data-testid="inject-submit" disabled={!active || currentWatermarkMs <= 0}>
        Add event
      </button>
      {message && (
        <p className={message.error ? "query-panel__error" : "muted"} role="status" data-testid="inject-message">
          {message.text}
        </p>
      )}
    </form>
  );
}
