// Builds the workbench UI into dist/app, served by the loopback host (browser mode) and loaded by Electron.
import react from "@vitejs/plugin-react";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: "./",
  plugins: [react()],
  build: {
    outDir: path.join(here, "..", "dist", "app"),
    emptyOutDir: true,
    // No source maps in the shipped app: they hand out the source to whoever loads the page, and
    // the host serves none (appPage.ts). Debug with `vite build --sourcemap` locally.
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
  logLevel: "warn",
});
