import { defineConfig } from "@playwright/test";
import { existsSync } from "node:fs";

// Debian's Chromium where it is installed (no browser downloads here), else Playwright's own.
const debianChromium = "/usr/bin/chromium";
const executablePath = existsSync(debianChromium) ? debianChromium : undefined;
// Another port and build folder let two suites run side by side (PLAYWRIGHT_PORT, PLAYWRIGHT_DIST).
const port = Number(process.env.PLAYWRIGHT_PORT ?? 4173);
const dist = process.env.PLAYWRIGHT_DIST ?? "dist";

export default defineConfig({
  testDir: "e2e",
  // The UI benchmark (*.perf.ts) runs only with PLAYWRIGHT_PERF=1 (npm run bench:ui), never in npm test.
  testMatch: process.env.PLAYWRIGHT_PERF ? "**/*.perf.ts" : "**/*.spec.ts",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 900 },
    // executablePath must sit in launchOptions: directly under `use` it is ignored.
    launchOptions: {
      ...(executablePath ? { executablePath } : {}),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
      ],
    },
    trace: "retain-on-failure",
  },
  webServer: {
    // The production build, served as users get it: worker and asset URLs have broken only in builds before.
    command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort --outDir ${dist}`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
