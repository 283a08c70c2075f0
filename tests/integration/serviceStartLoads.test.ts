/**
 * What the service loads when the host starts: none of the libraries that only a print, an import,
 * a timestamp token or a near-duplicate search uses (they cost seconds to load; docs/PERFORMANCE.md).
 * A fresh `node` loads the compiled service with a resolve hook that names every package it reaches.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { REPO_ROOT } from "../support/cli.js";

const LOADED_ON_USE = [
  "playwright-core",
  "@cantoo/pdf-lib",
  "sharp",
  "exifr",
  "file-type",
  "fluent-ffmpeg",
  "pkijs",
  "asn1js",
  "mnemonist",
];

const HOOKS = `export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  const name = /\\/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(resolved.url);
  if (name) process.stderr.write("package " + name[1] + "\\n");
  return resolved;
}`;

function packagesReachedBy(moduleUrl: string): Set<string> {
  const script = `import { register } from "node:module";
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)});
await import(${JSON.stringify(moduleUrl)});`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: REPO_ROOT, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return new Set([...r.stderr.matchAll(/^package (\S+)$/gm)].map((m) => m[1]!));
}

test("starting the service loads no library that only a print, import, token or similarity search needs", () => {
  const service = pathToFileURL(path.join(REPO_ROOT, "dist", "electron", "services", "sightlineService.js"));
  const reached = packagesReachedBy(service.href);
  // The hook saw the packages the service does need, so an empty answer is not a silent pass.
  assert.ok(reached.has("zod") && reached.has("canonicalize"), [...reached].join(", "));
  assert.deepEqual(
    LOADED_ON_USE.filter((name) => reached.has(name)),
    [],
  );
});

test("the modules that use them still reach them", () => {
  const media = pathToFileURL(path.join(REPO_ROOT, "dist", "electron", "services", "media", "mediaStage.js"));
  const reached = packagesReachedBy(media.href);
  for (const name of ["sharp", "exifr", "file-type", "fluent-ffmpeg", "mnemonist"]) assert.ok(reached.has(name), name);
});
