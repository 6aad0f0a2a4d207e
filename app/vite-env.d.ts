/// <reference types="vite/client" />

declare module "virtual:engine-dts" {
  /** The engine's declaration files by path relative to `engine/` (e.g. "api/DataFrame.d.ts"). */
  const files: Record<string, string>;
  export default files;
}
