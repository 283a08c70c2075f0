/**
 * The desktop package's hardening, read from electron-builder.yml: the Electron fuses and the
 * macOS entitlements. An examiner's signing key is sealed by the OS keychain for the signed app
 * (safeStorage); if the packaged app would still run as plain Node (ELECTRON_RUN_AS_NODE), take
 * NODE_OPTIONS or --inspect, or load code from outside its checked app.asar, anyone who can start
 * it could run their own code as Sightline and have safeStorage unseal the key. The same goes for
 * entitlements that let other libraries or DYLD_* variables into the hardened runtime.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { test } from "node:test";
import { REPO_ROOT } from "../support/cli.js";

// js-yaml comes with electron-builder (which reads this very file with it); it ships no types.
const yaml = createRequire(import.meta.url)("js-yaml") as { load(text: string): unknown };

interface BuilderConfig {
  electronFuses?: Record<string, unknown>;
  mac?: { hardenedRuntime?: boolean; entitlements?: string; entitlementsInherit?: string };
}

const readConfig = async () =>
  yaml.load(await readFile(path.join(REPO_ROOT, "electron-builder.yml"), "utf8")) as BuilderConfig;

/** The keys a plist sets to <true/>. */
function trueKeys(plist: string): string[] {
  return [...plist.matchAll(/<key>([^<]+)<\/key>\s*<true\s*\/>/g)].map((m) => m[1]!);
}

test("every Electron fuse that would let someone else's code run as Sightline is set", async () => {
  const config = await readConfig();
  assert.deepEqual(config.electronFuses, {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    enableCookieEncryption: true,
    grantFileProtocolExtraPrivileges: false,
  });
});

test("macOS signs with our own entitlements: allow-jit only, no library validation or DYLD escape", async () => {
  const { mac } = await readConfig();
  assert.equal(mac?.hardenedRuntime, true);
  assert.equal(mac?.entitlements, "resources/entitlements.mac.plist");
  assert.equal(mac?.entitlementsInherit, "resources/entitlements.mac.plist");
  for (const file of new Set([mac.entitlements, mac.entitlementsInherit])) {
    const plist = await readFile(path.join(REPO_ROOT, file), "utf8");
    assert.match(plist, /<plist version="1\.0">\s*<dict>[\s\S]*<\/dict>\s*<\/plist>\s*$/, `${file} is a plist`);
    assert.deepEqual(trueKeys(plist), ["com.apple.security.cs.allow-jit"], file);
    const body = plist.replace(/<!--[\s\S]*?-->/g, "");
    for (const forbidden of [
      "com.apple.security.cs.disable-library-validation",
      "com.apple.security.cs.allow-dyld-environment-variables",
      "com.apple.security.cs.allow-unsigned-executable-memory",
      "com.apple.security.get-task-allow",
    ]) {
      assert.doesNotMatch(body, new RegExp(forbidden.replaceAll(".", "\\.")), `${file}: ${forbidden}`);
    }
  }
});
