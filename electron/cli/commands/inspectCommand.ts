import { parseArgs } from "node:util";
import type { InspectResult } from "../../../shared/media/metadata.js";
import { warningTitle } from "../../../shared/text/plainWords.js";
import { formatTime } from "../../../shared/text/times.js";
import { inspectFile } from "../../services/media/inspectFile.js";
import { line, type CommandContext } from "../commandContext.js";
import { formatBytes, formatDuration, inert, jsonForTerminal } from "../terminalText.js";
import { UsageError } from "../usage.js";

function printHuman(r: InspectResult, out: NodeJS.WritableStream): void {
  const m = r.metadata;
  const row = (label: string, value: string | null) => line(out, `${label.padEnd(10)}${value ?? "—"}`);
  row("File", inert(r.file));
  row("Size", `${formatBytes(r.size)} (${r.size} bytes)`);
  row("SHA-256", r.sha256);
  row("Type", `${r.kind}, ${inert(r.mime)}${m.codecs.length ? ` (${m.codecs.map(inert).join(", ")})` : ""}`);
  row("Captured", m.capturedAt ? `${inert(formatTime(m.capturedAt))}  from ${inert(m.capturedAtSource ?? "?")}` : null);
  row(
    "GPS",
    m.gps
      ? `${m.gps.lat.toFixed(6)}, ${m.gps.lon.toFixed(6)}${m.gps.altitude !== null ? `, ${m.gps.altitude} m` : ""}${m.gpsSource ? `  from ${inert(m.gpsSource)}` : ""}`
      : null,
  );
  row("Camera", m.camera ? inert([m.camera.make, m.camera.model].filter(Boolean).join(" ")) : null);
  row("Software", m.software ? inert(m.software) : null);
  row("Size px", m.dimensions ? `${m.dimensions.width} × ${m.dimensions.height}` : null);
  if (m.orientation !== null) row("Orient.", String(m.orientation));
  if (m.durationS !== null) row("Duration", formatDuration(m.durationS));
  if (r.warnings.length === 0) row("Warnings", "none");
  for (const w of r.warnings) line(out, `warning   ${warningTitle(w.code)} (${w.code}): ${inert(w.message)}`);
}

export async function inspectCommand(args: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: "boolean", default: false } },
  });
  if (positionals.length !== 1) throw new UsageError("inspect takes exactly one file");
  const result = await inspectFile(positionals[0]!);
  if (values.json) line(ctx.stdout, jsonForTerminal(result));
  else printHuman(result, ctx.stdout);
  return 0;
}
