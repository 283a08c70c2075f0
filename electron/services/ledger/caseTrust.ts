/**
 * Whose keys may sign in a case: the keys its ledger establishes (shared/ledger/examinerTrust.ts),
 * never `case.json` alone (DESIGN rule 5). `case.json` is a copy to check: when it lists other
 * keys the case was edited outside Sightline, and nothing may be written to it.
 */
import { constants, type BigIntStats } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { CASE_PATHS } from "../../../shared/case/caseFile.js";
import type { Examiner } from "../../../shared/ledger/events.js";
import { establishTrust, examinerListKey, TrustBuilder } from "../../../shared/ledger/examinerTrust.js";
import { SightlineError } from "../sightlineError.js";
import { assertCaseLayout, openCaseOwnFile } from "../vault/caseLayout.js";
import { readCaseFile } from "../vault/caseStore.js";
import { nodeLedgerCrypto } from "./nodeLedgerCrypto.js";

/**
 * The examiners the ledger trusts, after checking that `case.json` lists exactly them.
 * Throws a one-line SightlineError (`tampered`) when the folder or case.json was edited.
 */
export async function trustedExaminers(
  caseDir: string,
  /** For a restore: a damaged object in the vault does not stop it (see LedgerWriterOptions.isRestoring). */
  layout: { allowDamagedObjects?: boolean } = {},
): Promise<Examiner[]> {
  await assertCaseLayout(caseDir, layout);
  const caseFile = await readCaseFile(caseDir);
  let trusted = await ledgerTrust(caseDir);
  // Keys learnt from a checkpoint or a replay that disagree with case.json: read the ledger itself
  // before calling the case edited (a checkpoint in the profile is the user's own, but not proof).
  if (
    examinerListKey(caseFile.examiners) !== examinerListKey(trusted.values()) &&
    remembered.get(caseDir)?.source !== "ledger"
  ) {
    remembered.delete(caseDir);
    trusted = await ledgerTrust(caseDir);
  }
  if (trusted.size === 0) {
    throw new SightlineError(
      "tampered",
      `the ledger of ${caseDir} does not begin with a valid case.created event, so no key is trusted; run "sightline verify"`,
    );
  }
  if (examinerListKey(caseFile.examiners) !== examinerListKey(trusted.values())) {
    throw new SightlineError(
      "tampered",
      `case.json's examiner list differs from the keys the ledger establishes: the case was edited outside Sightline, so nothing was written; run "sightline verify" to see the difference`,
    );
  }
  return [...trusted.values()];
}

/**
 * The keys a ledger establishes, remembered per case while the file stays as it was: a write asks
 * twice (to choose the key, then as the writer opens), and on a large case reading the ledger
 * is the cost. The file's identity includes its ctime, which no one can set back after an edit.
 */
const remembered = new Map<string, { stamp: string; trusted: Map<string, Examiner>; source: TrustSource }>();
const MAX_REMEMBERED = 4;

/**
 * How the keys remembered for a ledger were learnt: read from it here, while it was replayed or
 * checked against a checkpoint, or carried by the writer across its own appends (TrustCarry).
 */
export type TrustSource = "ledger" | "replay" | "checkpoint" | "writer";

/** How the keys remembered for `caseDir`'s ledger were learnt, or null when none are (shown by tests and benchmarks). */
export function ledgerTrustSource(caseDir: string): TrustSource | null {
  return remembered.get(caseDir)?.source ?? null;
}

/** A ledger file's identity as the trust remembered for it is keyed (from a `stat` with `bigint`). */
export function ledgerStamp(info: BigIntStats): string {
  return [info.dev, info.ino, info.size, info.mtimeNs, info.ctimeNs].join(":");
}

/**
 * Remembers the keys established by exactly the ledger of `caseDir` whose identity is `stamp`,
 * learnt while its bytes were read for another reason: the replay of the case state, or a
 * case-facts checkpoint found to hold for those bytes (caseStateCache.ts). A session's first write or
 * examiner lookup then does not read the whole ledger again. Only the same identity is answered.
 */
export function rememberLedgerTrust(
  caseDir: string,
  stamp: string,
  trusted: ReadonlyMap<string, Examiner>,
  source: Exclude<TrustSource, "ledger" | "writer">,
): void {
  if (trusted.size === 0 || remembered.get(caseDir)?.stamp === stamp) return;
  remember(caseDir, stamp, new Map(trusted), source);
}

function remember(caseDir: string, stamp: string, trusted: Map<string, Examiner>, source: TrustSource): void {
  remembered.delete(caseDir);
  if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!);
  remembered.set(caseDir, { stamp, trusted, source });
}

async function ledgerTrust(caseDir: string): Promise<Map<string, Examiner>> {
  const handle = await openCaseOwnFile(caseDir, CASE_PATHS.ledger, constants.O_RDONLY);
  try {
    const stamp = ledgerStamp(await handle.stat({ bigint: true }));
    const known = remembered.get(caseDir);
    if (known?.stamp === stamp) return known.trusted;
    const trusted = establishTrust(await handle.readFile(), nodeLedgerCrypto);
    remember(caseDir, stamp, trusted, "ledger");
    return trusted;
  } finally {
    await handle.close();
  }
}

/**
 * The keys of a ledger carried across its writer's own appends, so that the next write does not read
 * the whole ledger again because this one changed the file's identity. It starts only when the
 * writer's handle is the very file whose keys are remembered (same identity), and after each append
 * the keys are those before it plus what the appended lines establish by the trust rule
 * (TrustBuilder.after), remembered for the file's identity after the append. Before each append the
 * file must still have the identity remembered after the last one, and after it its size must be
 * exactly that size plus the bytes written: anything else means another program wrote to the
 * ledger, and from then on nothing is carried (the next write reads the whole ledger).
 */
export class TrustCarry {
  private constructor(
    private readonly caseDir: string,
    private readonly handle: FileHandle,
    private readonly builder: TrustBuilder,
    private stamp: string,
    private size: bigint,
  ) {}

  /**
   * A carry for the writer of `caseDir` appending through `handle`, whose ledger ends with the line
   * `lastLine` (without its newline); null when no keys are remembered for the file as it is now.
   */
  static async begin(caseDir: string, handle: FileHandle, lastLine: Uint8Array): Promise<TrustCarry | null> {
    const info = await handle.stat({ bigint: true }).catch(() => null);
    const known = remembered.get(caseDir);
    if (!info || !known || known.stamp !== ledgerStamp(info)) return null;
    const builder = TrustBuilder.after(nodeLedgerCrypto, known.trusted, lastLine, Number(info.size));
    return new TrustCarry(caseDir, handle, builder, known.stamp, info.size);
  }

  /** Called just before an append: the file must be as this writer left it. */
  async appending(): Promise<void> {
    if (this.size < 0n) return;
    const info = await this.handle.stat({ bigint: true }).catch(() => null);
    if (!info || ledgerStamp(info) !== this.stamp) this.size = -1n;
  }

  /** Called once `text`, appended in one write, is on disk: remembers the keys for the file now. */
  async appended(text: string): Promise<void> {
    if (this.size < 0n) return;
    const bytes = Buffer.from(text, "utf8");
    const info = await this.handle.stat({ bigint: true }).catch(() => null);
    if (!info || info.size !== this.size + BigInt(bytes.length)) {
      this.size = -1n;
      return;
    }
    this.builder.feed(bytes);
    this.stamp = ledgerStamp(info);
    this.size = info.size;
    remember(this.caseDir, this.stamp, new Map(this.builder.trusted), "writer");
  }
}
