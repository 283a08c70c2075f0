/** Versions of the libraries that read and make media, recorded in the ledger beside what they produced. */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { loadSharp } from "./sharpLoad.js";

const require = createRequire(import.meta.url);
const cache = new Map<string, string>();

/** The installed version of npm package `name`, read from its package.json. */
export function libraryVersion(name: string): string {
  let version = cache.get(name);
  if (version) return version;
  version = "unknown";
  try {
    // Walk up from the entry point: not every package exports its package.json.
    let dir = path.dirname(require.resolve(name));
    for (let i = 0; i < 6; i++) {
      try {
        const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as {
          name?: string;
          version?: string;
        };
        if (pkg.name === name && pkg.version) {
          version = pkg.version;
          break;
        }
      } catch {
        // No package.json at this level.
      }
      dir = path.dirname(dir);
    }
  } catch {
    // Not resolvable: stays "unknown".
  }
  cache.set(name, version);
  return version;
}

/** sharp and the libvips it carries, e.g. `0.35.5 (libvips 8.18.7)`. */
export async function sharpVersion(): Promise<string> {
  const { versions } = await loadSharp();
  return `${versions.sharp ?? "unknown"} (libvips ${versions.vips})`;
}
