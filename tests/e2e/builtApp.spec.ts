/**
 * The app as `npm run build` leaves it in dist/app, which is what the host serves and the
 * desktop package ships: no source maps, and no bundle that points at one.
 */
import { expect, test } from "@playwright/test";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { REPO_ROOT } from "../support/cli.js";

test("the built app carries no source maps", async () => {
  const assets = path.join(REPO_ROOT, "dist", "app", "assets");
  const names = await readdir(assets);
  expect(
    names.some((n) => n.endsWith(".js")),
    "the app is built",
  ).toBe(true);
  expect(names.filter((n) => n.endsWith(".map"))).toEqual([]);
  for (const name of names.filter((n) => /\.(js|css)$/.test(n))) {
    expect(await readFile(path.join(assets, name), "utf8"), name).not.toContain("sourceMappingURL");
  }
});
