/**
 * Finds the external programs media work needs, in the order DESIGN.md sets:
 * an explicit setting, the copy bundled with the packaged app, an npm-shipped
 * binary, then `PATH`. A missing tool is not a crash: callers get `null` and a
 * sentence saying what to install.
 *
 *   ffmpeg, ffprobe   SIGHTLINE_FFMPEG / SIGHTLINE_FFPROBE, <resources>/bin/, ffmpeg-static / @ffprobe-installer, PATH
 *   heif-convert      SIGHTLINE_HEIF_CONVERT, <resources>/bin/, PATH   (HEIC pixels; libvips here cannot decode HEVC)
 */
import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

export type ToolName = "ffmpeg" | "ffprobe" | "heif-convert";

export interface ToolLocation {
  name: ToolName;
  path: string;
  /** Where it was found: setting, bundled, npm or PATH. */
  foundBy: "setting" | "bundled" | "npm" | "PATH";
}

export interface MediaTools {
  ffmpeg: ToolLocation | null;
  ffprobe: ToolLocation | null;
  heifConvert: ToolLocation | null;
}

const ENV: Record<ToolName, string> = {
  ffmpeg: "SIGHTLINE_FFMPEG",
  ffprobe: "SIGHTLINE_FFPROBE",
  "heif-convert": "SIGHTLINE_HEIF_CONVERT",
};

const INSTALL_HINT: Record<ToolName, string> = {
  ffmpeg: "install ffmpeg (Debian/Ubuntu: apt-get install ffmpeg) or set SIGHTLINE_FFMPEG to its path",
  ffprobe: "install ffmpeg, which includes ffprobe (apt-get install ffmpeg), or set SIGHTLINE_FFPROBE to its path",
  "heif-convert": "install libheif's tools (apt-get install libheif-examples) or set SIGHTLINE_HEIF_CONVERT",
};

/** The sentence to show when `name` is missing. */
export function missingToolMessage(name: ToolName): string {
  return `${name} was not found: ${INSTALL_HINT[name]}`;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The executable `name` on PATH, or null. */
export function onPath(name: string, envPath = process.env.PATH ?? ""): string | null {
  const exts = process.platform === "win32" ? (process.env.PATHEXT ?? ".EXE").split(";") : [""];
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return null;
}

/** An npm package that ships a binary, when one is installed (none is a dependency by default). */
function fromNpm(name: ToolName): string | null {
  const require = createRequire(import.meta.url);
  try {
    if (name === "ffmpeg") {
      const p = require("ffmpeg-static") as string | null;
      return p && isExecutable(p) ? p : null;
    }
    if (name === "ffprobe") {
      const p = (require("@ffprobe-installer/ffprobe") as { path?: string }).path;
      return p && isExecutable(p) ? p : null;
    }
  } catch {
    // Not installed: fall through to PATH.
  }
  return null;
}

function bundledDir(): string | null {
  // Electron's packaged app sets process.resourcesPath; plain Node does not.
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  return resourcesPath ? path.join(resourcesPath, "bin") : null;
}

export function locateTool(name: ToolName, env: NodeJS.ProcessEnv = process.env): ToolLocation | null {
  const setting = env[ENV[name]];
  if (setting) return isExecutable(setting) ? { name, path: setting, foundBy: "setting" } : null;
  const bundled = bundledDir();
  if (bundled) {
    const p = path.join(bundled, name + (process.platform === "win32" ? ".exe" : ""));
    if (isExecutable(p)) return { name, path: p, foundBy: "bundled" };
  }
  const npm = fromNpm(name);
  if (npm) return { name, path: npm, foundBy: "npm" };
  const found = onPath(name, env.PATH);
  return found ? { name, path: found, foundBy: "PATH" } : null;
}

let cached: MediaTools | undefined;

/** The tools of this process, found once. */
export function mediaTools(): MediaTools {
  cached ??= {
    ffmpeg: locateTool("ffmpeg"),
    ffprobe: locateTool("ffprobe"),
    heifConvert: locateTool("heif-convert"),
  };
  return cached;
}

const versions = new Map<string, Promise<string>>();

/** The version a tool reports (`ffmpeg -version` → `5.1.9-0+deb12u1`), for derivative records. */
export function toolVersion(tool: ToolLocation): Promise<string> {
  let v = versions.get(tool.path);
  if (!v) {
    const args = tool.name === "heif-convert" ? ["--version"] : ["-version"];
    v = execFileAsync(tool.path, args, { timeout: 10_000 })
      .then(({ stdout, stderr }) => {
        const text = `${stdout}\n${stderr}`;
        const m = /version\s+(\S+)/i.exec(text) ?? /(\d+\.\d+(?:\.\d+)?\S*)/.exec(text);
        return m ? m[1]! : "unknown";
      })
      .catch(() => "unknown");
    versions.set(tool.path, v);
  }
  return v;
}
