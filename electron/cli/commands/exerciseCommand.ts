/**
 * `sightline exercise start|hint|submit|score|export`: a trainee's exercise from the terminal,
 * through the same service and contract schemas as the workbench (docs/TRAINING.md). Every text
 * from a sample or a case is printed inert.
 */
import { parseArgs } from "node:util";
import type { ApiInput, ApiMethod, ApiOutput } from "../../../shared/api/contract.js";
import type { Scorecard } from "../../../shared/api/trainingContract.js";
import { dispatch } from "../../services/apiDispatch.js";
import { SightlineError } from "../../services/sightlineError.js";
import { SightlineService } from "../../services/sightlineService.js";
import { line, type CommandContext } from "../commandContext.js";
import { inert, jsonForTerminal } from "../terminalText.js";
import { UsageError } from "../usage.js";

/** Calls one API method as the transports do (input checked by the contract); a refusal becomes its one line. */
export async function call<M extends ApiMethod>(
  service: SightlineService,
  method: M,
  input: ApiInput<M>,
): Promise<ApiOutput<M>> {
  const result = await dispatch(service, method, input);
  if (!result.ok) throw new SightlineError(result.error.code, result.error.message);
  return result.value as ApiOutput<M>;
}

export async function exerciseCommand(args: string[], ctx: CommandContext): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      trainee: { type: "string" },
      format: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  const service = new SightlineService(ctx.keyStore);
  const print = (value: unknown) => line(ctx.stdout, jsonForTerminal(value));
  switch (action) {
    case "start": {
      if (positionals.length !== 2) throw new UsageError("exercise start takes a sample package and a new case folder");
      if (values.trainee === undefined) throw new UsageError("exercise start needs --trainee NAME");
      const [sample, dir] = positionals as [string, string];
      const { jobId } = await call(service, "startExercise", { sample, dir, trainee: values.trainee });
      await service.jobs.settle();
      const job = await call(service, "getJob", { jobId });
      if (job.status !== "finished")
        throw new SightlineError("io-error", job.error ?? `the exercise was ${job.status}`);
      const info = await call(service, "getExercise", { dir });
      if (values.json) print(info);
      else if (info) {
        line(ctx.stdout, `Exercise  ${inert(info.sample.title)} for ${inert(info.trainee)} in ${inert(info.dir)}`);
        line(ctx.stdout, `Task      ${inert(info.briefing.task)}`);
        for (const claim of info.briefing.claims) line(ctx.stdout, `Claim     ${inert(claim)}`);
        line(ctx.stdout, `Due       ${info.dueAt ?? "no time limit"}`);
        line(ctx.stdout, `Hints     ${info.hints.length} (open one with "sightline exercise hint <case> <n>")`);
      }
      return 0;
    }
    case "hint": {
      if (positionals.length !== 2)
        throw new UsageError("exercise hint takes a case folder and a hint number (1, 2, …)");
      const n = Number(positionals[1]);
      if (!Number.isInteger(n) || n < 1 || n > 20) throw new UsageError("a hint number is 1 to 20");
      const hint = await call(service, "openHint", { dir: positionals[0]!, index: n - 1 });
      if (values.json) print(hint);
      else line(ctx.stdout, `Hint ${n}: ${inert(hint.title)}\n${inert(hint.text)}`);
      return 0;
    }
    case "submit":
    case "score": {
      if (positionals.length !== 1) throw new UsageError(`exercise ${action} takes exactly one case folder`);
      const dir = positionals[0]!;
      const info = await call(service, action === "submit" ? "submitExercise" : "getScorecard", { dir });
      if (values.json) print(info);
      else printScorecard(ctx, info.scorecard);
      return 0;
    }
    case "export": {
      if (positionals.length !== 1) throw new UsageError("exercise export takes exactly one case folder");
      const format = values.format;
      if (format !== "pdf" && format !== "html" && format !== "json") {
        throw new UsageError("exercise export needs --format pdf, html or json");
      }
      const written = await call(service, "exportScorecard", { dir: positionals[0]!, format });
      if (values.json) print(written);
      else line(ctx.stdout, `Wrote     ${inert(written.path)} (sha256 ${written.sha256}, event ${written.seq})`);
      return 0;
    }
    default:
      throw new UsageError(
        action === undefined
          ? "exercise needs start, hint, submit, score or export"
          : `unknown exercise action "${inert(action)}": use start, hint, submit, score or export`,
      );
  }
}

function printScorecard(ctx: CommandContext, card: Scorecard): void {
  const out = (text: string) => line(ctx.stdout, text);
  out(`Scorecard ${inert(card.sample.title)}: ${card.points} of ${card.maxPoints} points`);
  out(
    `Trainee   ${inert(card.trainee)}, ${card.minutesTaken} minutes${card.late ? " (late)" : ""}, ${card.hintsOpened} hint(s) (−${card.hintPenalty})`,
  );
  for (const l of card.locations) out(`Where     ${inert(l.fileName)}: ${inert(l.summary)} ${l.points}/${l.maxPoints}`);
  for (const t of card.times) out(`When      ${inert(t.fileName)}: ${inert(t.summary)} ${t.points}/${t.maxPoints}`);
  for (const t of card.traps)
    out(`Trap      ${inert(t.title)} (${inert(t.fileName)}): ${inert(t.summary)} ${t.points}/${t.maxPoints}`);
  out(`Reasoning ${inert(card.reasoning.summary)} ${card.reasoning.points}/${card.reasoning.maxPoints}`);
  // Line by line: each line inert, its line ends kept (inertText would show them as escapes).
  out(`Model answer:\n${card.modelAnswer.split(/\r?\n/).map(inert).join("\n")}`);
}
