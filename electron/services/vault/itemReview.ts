/**
 * An examiner's review of one item: notes, tags, the status workflow and acknowledged warnings,
 * each a ledger event appended through the service's `append` (which also keeps a submitted
 * exercise frozen).
 */
import type { ApiParsedInput } from "../../../shared/api/contract.js";
import type { ItemState } from "../../../shared/ledger/caseState.js";
import { STATUS_TRANSITIONS } from "../../../shared/ledger/events.js";
import type { CaseAppend } from "../ledger/caseAppend.js";
import { SightlineError } from "../sightlineError.js";

export interface ItemReviewTools {
  /** The item, or a `not-found` refusal. */
  itemOf(dir: string, sha256: string): Promise<ItemState>;
  /** `recheck` runs under the case's writer lock, before anything is written (ledger/caseAppend.ts). */
  append: CaseAppend;
}

export async function addNote(tools: ItemReviewTools, { dir, sha256, text }: ApiParsedInput<"addNote">) {
  await tools.itemOf(dir, sha256);
  const [event] = await tools.append(dir, [{ type: "note.added", payload: { sha256, text } }]);
  return { seq: event!.seq };
}

export async function changeTags(tools: ItemReviewTools, { dir, sha256, add, remove }: ApiParsedInput<"changeTags">) {
  const item = await tools.itemOf(dir, sha256);
  const added = [...new Set(add)].filter((t) => !item.tags.includes(t));
  const removed = [...new Set(remove)].filter((t) => item.tags.includes(t) && !added.includes(t));
  if (added.length === 0 && removed.length === 0) {
    throw new SightlineError("invalid-input", "those tags are already as asked: nothing to record");
  }
  // Under the lock: the tags must still be as this request saw them, or two windows adding one
  // tag at once would both record it.
  const [event] = await tools.append(dir, [{ type: "tags.changed", payload: { sha256, added, removed } }], (state) => {
    const now = state.items.get(sha256)?.tags ?? [];
    const moved = added.find((t) => now.includes(t)) ?? removed.find((t) => !now.includes(t));
    if (moved !== undefined) {
      throw new SightlineError(
        "invalid-input",
        `the tag ${moved} was ${now.includes(moved) ? "added" : "removed"} by another change meanwhile; nothing was recorded, look again and retry`,
      );
    }
  });
  const tags = new Set(item.tags);
  for (const t of removed) tags.delete(t);
  for (const t of added) tags.add(t);
  return { seq: event!.seq, tags: [...tags].sort() };
}

export async function changeStatus(
  tools: ItemReviewTools,
  { dir, sha256, to, reason }: ApiParsedInput<"changeStatus">,
) {
  const item = await tools.itemOf(dir, sha256);
  if (!STATUS_TRANSITIONS[item.status].includes(to)) {
    throw new SightlineError(
      "invalid-input",
      `an item ${item.status} cannot become ${to}; from ${item.status} it can become ${STATUS_TRANSITIONS[item.status].join(" or ")}`,
    );
  }
  const from = item.status;
  // Under the lock: the status must still be `from`, or two windows changing it from the same
  // status would both be written, the second naming a `from` the item no longer had.
  const [event] = await tools.append(
    dir,
    [{ type: "status.changed", payload: { sha256, from, to, reason: reason.trim() } }],
    (state) => {
      const now = state.items.get(sha256);
      if (now && now.status !== from) {
        throw new SightlineError(
          "invalid-input",
          `the item became ${now.status} by another change while this one was on its way; nothing was recorded`,
        );
      }
    },
  );
  return { seq: event!.seq, status: to };
}

/**
 * A warning of the item's latest metadata, acknowledged with a remark; once per warning. Checked
 * again under the writer's lock, so two requests at once (a double Enter, two windows) record one.
 */
export async function acknowledgeWarning(
  tools: ItemReviewTools,
  { dir, sha256, code, remark }: ApiParsedInput<"acknowledgeWarning">,
) {
  const refuse = (item: ItemState | undefined) => {
    if (!item) throw new SightlineError("not-found", `no item ${sha256} in this case`);
    if (!(item.metadata?.warnings ?? []).some((w) => w.code === code)) {
      throw new SightlineError("invalid-input", `this item has no warning ${code} to acknowledge`);
    }
    const earlier = item.acknowledgements.find((a) => a.code === code);
    if (earlier) {
      throw new SightlineError("invalid-input", `the warning ${code} was already acknowledged (event #${earlier.seq})`);
    }
  };
  refuse(await tools.itemOf(dir, sha256));
  const [event] = await tools.append(
    dir,
    [{ type: "warning.acknowledged", payload: { sha256, code, remark: remark.trim() } }],
    (state) => refuse(state.items.get(sha256)),
  );
  return { seq: event!.seq };
}
