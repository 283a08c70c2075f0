/** What became of requests sent at once: the ones written, and the one-line reasons the others were refused with. */
import assert from "node:assert/strict";

export async function settleRace<T>(sent: Promise<T>[]): Promise<{ won: T[]; refused: string[] }> {
  const outcomes = await Promise.allSettled(sent);
  const won = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
  const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [String((o.reason as Error).message)] : []));
  for (const reason of refused) assert.doesNotMatch(reason, /[\n\r]/, "a refusal is one line");
  return { won, refused };
}
