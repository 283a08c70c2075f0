/**
 * `sightline examiner`: an examiner's key card, and adding an examiner to a case.
 *
 *   examiner key  --name NAME                   prints this profile's key card for NAME (made on
 *                                               first use): send it to an examiner of the case
 *   examiner add  <case-dir> <key-card.json>    adds that examiner, signed by your key in the case
 *   examiner list <case-dir>                    the examiners the case trusts
 */
import { parseArgs } from "node:util";
import { readCaseFile } from "../../services/vault/caseStore.js";
import { addExaminer, keyCardOf, readKeyCard } from "../../services/examiners/examiners.js";
import { line, type CommandContext } from "../commandContext.js";
import { inert, jsonForTerminal } from "../terminalText.js";
import { UsageError } from "../usage.js";

export async function examinerCommand(args: string[], ctx: CommandContext): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { name: { type: "string" }, json: { type: "boolean", default: false } },
  });
  switch (action) {
    case "key": {
      const name = values.name?.trim();
      if (!name) throw new UsageError("examiner key needs --name (yours, as it will appear in the ledger)");
      if (positionals.length > 0) throw new UsageError("examiner key takes no folder");
      const key = await ctx.keyStore.getOrCreate(name);
      line(ctx.stdout, JSON.stringify(keyCardOf(key), null, 2));
      return 0;
    }
    case "add": {
      if (positionals.length !== 2) throw new UsageError("examiner add takes a case folder and a key card file");
      const newcomer = await readKeyCard(positionals[1]!);
      const { seq, examiners } = await addExaminer(positionals[0]!, ctx.keyStore, newcomer);
      if (values.json) {
        line(ctx.stdout, jsonForTerminal({ added: newcomer, seq, examiners }));
      } else {
        line(
          ctx.stdout,
          seq === null
            ? `${inert(newcomer.name)} (${newcomer.keyId}) was already trusted by the ledger; case.json now lists them too`
            : `Added ${inert(newcomer.name)} (${newcomer.keyId}) as an examiner: ledger event ${seq}`,
        );
      }
      return 0;
    }
    case "list": {
      if (positionals.length !== 1) throw new UsageError("examiner list takes one case folder");
      const caseFile = await readCaseFile(positionals[0]!);
      if (values.json) line(ctx.stdout, jsonForTerminal(caseFile.examiners));
      else for (const e of caseFile.examiners) line(ctx.stdout, `${e.keyId}  ${inert(e.name)}`);
      return 0;
    }
    default:
      throw new UsageError(
        action
          ? `unknown examiner action "${inert(action)}" (key, add or list)`
          : "examiner needs an action: key, add or list",
      );
  }
}
