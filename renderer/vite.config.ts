// Builds the workbench UI into dist/app, served by the loopback host (browser mode) and loaded by Electron.
import react from "@vitejs/plugin-react";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: "./",
  plugins: [
    react(),
    {
      // geotiff starts its decoder workers from blob: URLs, which the page's policy refuses; its
      // worker factory is swapped for one that starts a worker bundled from the app's own origin.
      name: "geotiff-same-origin-worker",
      enforce: "pre",
      resolveId(source, importer) {
        if (
          source === "./worker/create.js" &&
          importer &&
          /[\\/]geotiff[\\/]dist-module[\\/]pool\.js$/.test(importer)
        ) {
          return path.join(here, "src", "views", "map", "geotiffWorker.ts");
        }
        return null;
      },
    },
    {
      // OpenLayers asks for multisampled WebGL canvases (antialias: true). The map's WebGL layers
      // draw image tiles, axis-aligned quads that gain nothing from it, and software rendering
      // (SwiftShader, on machines without a GPU) pays for four samples a pixel on every frame.
      name: "ol-webgl-single-sample",
      enforce: "pre",
      transform(code, id) {
        if (!/[\\/]ol[\\/]webgl\.js$/.test(id)) return null;
        const asked = "antialias: SAFARI_BUG_237906 ? false : true,";
        if (!code.includes(asked)) throw new Error("ol/webgl.js no longer asks for antialias as expected: check it");
        return code.replace(asked, "antialias: false,");
      },
    },
  ],
  // The decoder worker is one self-contained file: the host serves assets under "default-src 'none'",
  // which a worker takes as its own policy, so it may not fetch the decoders it would load on demand.
  worker: { format: "es", rollupOptions: { output: { inlineDynamicImports: true } } },
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
