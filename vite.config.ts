import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The app is served and tested on 127.0.0.1 only (see PITFALLS: Node resolves
// localhost to ::1 while Vite may listen on IPv4).
export default defineConfig({
  plugins: [react()],
  worker: { format: "es" },
  server: { host: "127.0.0.1", port: 5173, strictPort: true },
  preview: { host: "127.0.0.1", port: 4173, strictPort: true },
  build: { target: "es2022", chunkSizeWarningLimit: 8000 },
});
