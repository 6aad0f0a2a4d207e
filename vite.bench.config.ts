import { resolve } from "node:path";
import { defineConfig } from "vite";

/**
 * The benchmark page (engine/bench/browser/index.html: the suite in a dedicated Worker),
 * built on its own into dist-bench/ — never into the app's dist/, and without the app's
 * plugins. `npm run bench:browser` builds it and runs e2e/bench-browser.perf.ts.
 *
 *   npx vite build --config vite.bench.config.ts     → dist-bench/index.html, dist-bench/assets/
 */
const root = resolve(import.meta.dirname, "engine/bench/browser");

export default defineConfig({
  root,
  base: "./",
  publicDir: false,
  worker: { format: "es" },
  build: {
    outDir: resolve(import.meta.dirname, "dist-bench"),
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 8000,
    rollupOptions: { input: resolve(root, "index.html") },
  },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});
