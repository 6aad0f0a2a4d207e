import { Cell } from "./components/Cell/Cell";
import { RATE_BASICS } from "./examples/rateBasics";

/** The page: a header and the notebook's cells. */
export function App() {
  return (
    <div className="app">
      <header className="app__header">
        <h1>Streaming Playground</h1>
        <p className="app__tagline">Spark Structured Streaming, running in this tab.</p>
      </header>
      <main className="notebook">
        <Cell cellId="1" initialCode={RATE_BASICS} />
      </main>
    </div>
  );
}
