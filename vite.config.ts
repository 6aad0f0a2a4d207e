import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";
import { emitEngineDeclarations } from "./scripts/engineDts.ts";

/**
 * The page's Content-Security-Policy, in the built app: no eval on the page
 * (user code runs only in the engine's worker, which has its own policy), no
 * remote scripts, no CDNs. Left out of the dev server, whose React refresh
 * needs an inline script.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Monaco sets styles at run time.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'self'",
].join("; ");

function contentSecurityPolicy(): Plugin {
  return {
    name: "content-security-policy",
    apply: "build",
    transformIndexHtml: () => [{ tag: "meta", attrs: { "http-equiv": "Content-Security-Policy", content: CSP }, injectTo: "head-prepend" }],
  };
}

/**
 * `virtual:engine-dts`: the engine's declaration files, generated from
 * `engine/` when the app is built (and again when an engine file changes in
 * dev), so the editor's typings are the engine's own.
 */
function engineDeclarations(): Plugin {
  const id = "virtual:engine-dts";
  const resolved = "\0" + id;
  return {
    name: "engine-declarations",
    resolveId: (source) => (source === id ? resolved : null),
    load(loadId) {
      if (loadId !== resolved) return null;
      const files = Object.fromEntries(emitEngineDeclarations(process.cwd()));
      return `export default ${JSON.stringify(files)};`;
    },
    handleHotUpdate({ file, server }) {
      if (!file.includes("/engine/")) return;
      const mod = server.moduleGraph.getModuleById(resolved);
      if (mod) server.moduleGraph.invalidateModule(mod);
    },
  };
}

// The app is served and tested on 127.0.0.1 only (Node resolves localhost to
// ::1 while Vite may listen on IPv4).
export default defineConfig({
  plugins: [react(), engineDeclarations(), contentSecurityPolicy()],
  worker: { format: "es" },
  server: { host: "127.0.0.1", port: 5173, strictPort: true },
  preview: { host: "127.0.0.1", port: 4173, strictPort: true },
  build: { target: "es2022", chunkSizeWarningLimit: 8000 },
});
