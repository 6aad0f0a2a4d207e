import { useState } from "react";
import { useEngine } from "../../engine-client/engineContext";
import { formatTimestamp } from "../../format/formatValue";

const STEPS: Array<[label: string, ms: number]> = [
  ["+1 s", 1000],
  ["+5 s", 5000],
  ["+1 min", 60_000],
];

/**
 * The deterministic mode's clock (`?clock=manual`): the engine's time only
 * moves when a button here says so, so rate sources and processing-time
 * triggers produce the same rows on every run.
 */
export function ClockControl() {
  const client = useEngine();
  const [now, setNow] = useState(client.options.clockStartMs ?? 0);
  const [error, setError] = useState<string | null>(null);
  if (!client.options.manualClock) return null;
  return (
    <div className="clock-control" role="group" aria-label="Manual clock" data-testid="clock-control">
      <span className="clock-control__label" title="The engine runs on a manual clock: time moves only when you advance it">Engine time</span>
      <output data-testid="clock-now" data-ms={now}>
        {formatTimestamp(now)}
      </output>
      {STEPS.map(([label, ms]) => (
        <button
          key={label}
          type="button"
          className="button"
          data-testid={`clock-advance-${ms}`}
          onClick={async () => {
            try {
              setNow(await client.advanceClock(ms));
              setError(null);
            } catch (e) {
              setError(e instanceof Error ? e.message : String(e));
            }
          }}
        >
          {label}
        </button>
      ))}
      {error && <span role="alert">{error}</span>}
    </div>
  );
}
