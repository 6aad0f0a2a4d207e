import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { EngineClient } from "./engine-client/EngineClient";
import { engineOptionsFromUrl } from "./engine-client/engineOptions";
import { EngineContext } from "./engine-client/engineContext";
import { installTestHooks } from "./testHooks";
import { applyTheme, initialTheme } from "./theme/theme";
import "./styles.css";

// Before the first paint, so the page never flashes the other theme.
applyTheme(initialTheme());
const client = new EngineClient(engineOptionsFromUrl(new URLSearchParams(location.search)));
installTestHooks();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <EngineContext.Provider value={client}>
      <App />
    </EngineContext.Provider>
  </StrictMode>,
);
