import { startTransition, useCallback, useEffect, useReducer, useRef } from "react";
import type { CellEvent } from "../../engine/worker/protocol";
import { WorkerGoneError } from "../engine-client/EngineClient";
import { useEngine } from "../engine-client/engineContext";
import { emptyOutput, reduceCellOutput, type CellOutput } from "./cellOutput";

/**
 * Runs and stops one cell's code in the engine, and keeps its output. Events
 * from the worker (one per micro-batch per query) are coalesced and applied
 * once per animation frame, so a fast stream costs a few renders a second.
 */
export function useCellRunner(cellId: string): {
  output: CellOutput;
  /** Runs the code; `notice` is shown above the new outputs (why the page ran it). */
  run: (code: string, notice?: string) => Promise<void>;
  stop: () => Promise<void>;
  /** Clears the outputs shown (queries keep running). */
  clear: () => void;
} {
  const client = useEngine();
  const [output, dispatch] = useReducer(reduceCellOutput, emptyOutput);
  const queued = useRef<CellEvent[]>([]);
  const frame = useRef<number | null>(null);
  const runToken = useRef(0);

  const flush = useCallback(() => {
    frame.current = null;
    const events = queued.current;
    queued.current = [];
    // A transition: React renders the new output in slices that yield to the browser, so a
    // batch's table, chart and watermark view never hold the main thread in one long task.
    if (events.length > 0) startTransition(() => dispatch({ kind: "events", events }));
  }, []);

  // A cell that goes away (deleted, or another notebook opened) stops its queries.
  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      void client.stopCell(cellId).catch(() => undefined);
    },
    [cellId, client],
  );

  // A restarted engine ends every query, whichever cell started it.
  useEffect(
    () =>
      client.onRestart((reason) => {
        runToken.current++;
        queued.current = [];
        dispatch({ kind: "stopped", notice: reason });
      }),
    [client],
  );

  const run = useCallback(
    async (code: string, notice?: string) => {
      const token = ++runToken.current;
      queued.current = [];
      dispatch(notice === undefined ? { kind: "runStarted" } : { kind: "runStarted", notice });
      const onEvent = (event: CellEvent) => {
        if (token !== runToken.current) return; // events of a previous run
        queued.current.push(event);
        frame.current ??= requestAnimationFrame(flush);
      };
      try {
        const outcome = await client.runCell(cellId, code, onEvent);
        flush();
        if (token !== runToken.current) return;
        dispatch(
          outcome.ok
            ? { kind: "runFinished", error: null, activeQueries: outcome.activeQueries.length }
            : { kind: "runFinished", error: outcome.error, activeQueries: 0 },
        );
      } catch (e) {
        if (token !== runToken.current) return;
        const gone = e instanceof WorkerGoneError;
        dispatch({ kind: "runFinished", error: { name: gone ? "EngineRestarted" : "Error", message: e instanceof Error ? e.message : String(e) }, activeQueries: 0 });
      }
    },
    [cellId, client, flush],
  );

  const stop = useCallback(async () => {
    const { restarted } = await client.stopCell(cellId);
    // After a restart the restart listener has already said why.
    if (restarted) return;
    flush();
    dispatch({ kind: "stopped" });
  }, [cellId, client, flush]);

  const clear = useCallback(() => dispatch({ kind: "cleared" }), []);

  return { output, run, stop, clear };
}
