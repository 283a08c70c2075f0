/**
 * Writing a recorded scorecard to the case's exports/ (JSON, HTML, or PDF printed by the system
 * Chromium like the custody report) and recording it (`scorecard.exported`, allowed after the
 * freeze). Every text in the HTML and PDF is escaped (shared/training/scorecardHtml.ts).
 */
import { createHash } from "node:crypto";
import path from "node:path";
import type { ApiOutput, ApiParsedInput } from "../../../shared/api/contract.js";
import { scorecardHtml, scorecardPageParts } from "../../../shared/training/scorecardHtml.js";
import { TOOL } from "../appInfo.js";
import { readCaseFile } from "../vault/caseStore.js";
import { writeCaseFolderFile } from "../vault/caseFolderFile.js";
import { getScorecard } from "./exerciseWork.js";
import type { TrainingTools } from "./trainingTools.js";

export async function exportScorecard(
  tools: TrainingTools,
  input: ApiParsedInput<"exportScorecard">,
): Promise<ApiOutput<"exportScorecard">> {
  const info = await getScorecard(tools, input);
  const dir = path.resolve(input.dir);
  const state = await tools.states.get(dir);
  const caseFile = await readCaseFile(dir);
  const head = state.head ? `#${state.head.seq} ${state.head.hash}` : "empty";
  const context = { caseTitle: state.caseId !== null ? state.title : caseFile.title, head };
  let bytes: Buffer;
  if (input.format === "json") {
    const document = {
      format: "sightline-scorecard/1",
      tool: { name: TOOL.name, version: TOOL.version },
      case: { id: state.caseId, title: context.caseTitle, head: state.head },
      ...info,
    };
    bytes = Buffer.from(`${JSON.stringify(document, null, 2)}\n`);
  } else if (input.format === "html") {
    bytes = Buffer.from(scorecardHtml(info, context));
  } else {
    const printer = tools.makePrinter();
    try {
      bytes = Buffer.from(
        await printer.print({ html: scorecardHtml(info, context), ...scorecardPageParts(info.scorecard) }),
      );
    } finally {
      await printer.close().catch(() => undefined);
    }
  }
  const name = `scorecard-${info.scorecard.sample.id}.${input.format}`;
  const relative = await writeCaseFolderFile(dir, "exports", name, bytes);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const [event] = await tools.append(dir, [
    {
      type: "scorecard.exported",
      payload: { format: input.format, path: relative, sha256, size: bytes.length, scored: info.scored },
    },
  ]);
  return { path: relative, sha256, size: bytes.length, seq: event!.seq };
}
