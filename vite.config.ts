import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";

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

// The app is served and tested on 127.0.0.1 only (Node resolves localhost to
// ::1 while Vite may listen on IPv4).
export default defineConfig({
  plugins: [react(), contentSecurityPolicy()],
  worker: { format: "es" },
  server: { host: "127.0.0.1", port: 5173, strictPort: true },
  preview: { host: "127.0.0.1", port: 4173, strictPort: true },
  build: { target: "es2022", chunkSizeWarningLimit: 8000 },
});
