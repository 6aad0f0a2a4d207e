import { createContext, useContext } from "react";
import type { EngineClient } from "./EngineClient";

export const EngineContext = createContext<EngineClient | null>(null);

/** The page's one EngineClient. Throws outside `<EngineContext.Provider>`. */
export function useEngine(): EngineClient {
  const client = useContext(EngineContext);
  if (!client) throw new Error("useEngine() outside <EngineContext.Provider>");
  return client;
}
