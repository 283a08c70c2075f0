/**
 * `sightline sample inspect|author`: a sample package checked against its manifest (nothing of its
 * answer key printed), or one authored from a case with the answers in a JSON file (docs/TRAINING.md,
 * "Authoring"). The answers file is hostile input like any other: bounded, parsed strictly by the
 * contract's schema, every refusal one line.
 */
import { readFile, stat } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { ApiInput } from "../../../shared/api/contract.js";
import { SightlineError, describeIoError } from "../../services/sightlineError.js";
import { SightlineService } from "../../services/sightlineService.js";
import { line, type CommandContext } from "../commandContext.js";
import { inert, jsonForTerminal } from "../terminalText.js";
import { UsageError } from "../usage.js";
import { call } from "./exerciseCommand.js";

const MAX_ANSWERS_BYTES = 8 * 1024 * 1024;

export async function sampleCommand(args: string[], ctx: CommandContext): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { out: { type: "string" }, answers: { type: "string" }, json: { type: "boolean", default: false } },
  });
  const service = new SightlineService(ctx.keyStore);
  const print = (value: unknown) => line(ctx.stdout, jsonForTerminal(value));
  if (action === "inspect") {
    if (positionals.length !== 1) throw new UsageError("sample inspect takes exactly one sample package");
    const summary = await call(service, "inspectSample", { path: positionals[0]! });
    if (values.json) print(summary);
    else {
      line(ctx.stdout, `Sample    ${inert(summary.title)} (${inert(summary.id)}) by ${inert(summary.author)}`);
      line(ctx.stdout, `Task      ${inert(summary.briefing.task)}`);
      line(ctx.stdout, `Files     ${summary.fileCount}, hints ${summary.hintCount}, ${summary.size} bytes`);
      line(ctx.stdout, `SHA-256   ${summary.sha256}`);
      line(ctx.stdout, "Every file and the answer key match the manifest.");
    }
    return 0;
  }
  if (action === "author") {
    if (positionals.length !== 1) throw new UsageError("sample author takes exactly one case folder");
    if (values.out === undefined || values.answers === undefined) {
      throw new UsageError("sample author needs --out FILE.sightline-sample and --answers ANSWERS.json");
    }
    const answers = await readAnswers(values.answers);
    // Unchecked here on purpose: the contract's schema checks every member, as for the workbench.
    const input = { ...answers, dir: positionals[0]!, out: values.out } as ApiInput<"authorSample">;
    const written = await call(service, "authorSample", input);
    if (values.json) print(written);
    else
      line(
        ctx.stdout,
        `Wrote     ${inert(written.path)} (${written.size} bytes, sha256 ${written.sha256}, event ${written.seq})`,
      );
    return 0;
  }
  throw new UsageError(
    action === undefined
      ? "sample needs inspect or author"
      : `unknown sample action "${inert(action)}": use inspect or author`,
  );
}

/** The answers file: a JSON object whose members the contract's authorSample schema checks. */
async function readAnswers(file: string): Promise<Record<string, unknown>> {
  const info = await stat(file).catch((error: unknown) => {
    throw new SightlineError("not-found", `cannot read ${file}: ${describeIoError(error)}`);
  });
  if (!info.isFile()) throw new SightlineError("invalid-input", `${file} is not a file`);
  if (info.size > MAX_ANSWERS_BYTES)
    throw new SightlineError("invalid-input", `${file} is larger than an answers file can be (8 MB)`);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, "utf8"));
  } catch {
    throw new SightlineError("invalid-input", `${file} is not JSON`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new SightlineError("invalid-input", `${file} is not a JSON object of answers`);
  }
  return json as Record<string, unknown>;
}
