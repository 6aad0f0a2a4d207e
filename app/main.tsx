import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { EngineClient } from "./engine-client/EngineClient";
import { EngineContext } from "./engine-client/engineContext";
import { installTestHooks } from "./testHooks";
import "./styles.css";

const client = new EngineClient();
installTestHooks();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <EngineContext.Provider value={client}>
      <App />
    </EngineContext.Provider>
  </StrictMode>,
);
