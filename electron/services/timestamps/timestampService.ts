/**
 * Trusted timestamps of a case's ledger head (RFC 3161). A request goes to the examiner's
 * authorities in order; the first that answers must grant a token that imprints the head, echoes
 * the nonce, is signed by a certificate with the timeStamping usage and chains to the anchors the
 * examiner configured for it. Only then is the token stored and a `timestamp.recorded` appended.
 * When no authority answers, a `timestamp.requested` records the request as pending (it proves
 * no time); `sendPendingTimestamps` sends those later.
 */
import { createHash } from "node:crypto";
import { unlink } from "node:fs/promises";
import path from "node:path";
import type { ApiOutput, ApiParsedInput } from "../../../shared/api/contract.js";
import type { TimestampInfo, TimestampOutcome, TsaInfo } from "../../../shared/api/timestampContract.js";
import type { CaseState } from "../../../shared/ledger/caseState.js";
import type { LedgerEvent } from "../../../shared/ledger/events.js";
import type { EventRef } from "../../../shared/ledger/geoEvents.js";
import type { TimestampRecorded, TimestampRequested } from "../../../shared/ledger/timestampEvents.js";
import type { KeyStore } from "../examiners/keyStore.js";
import type { CaseAppend } from "../ledger/caseAppend.js";
import { trustedExaminers } from "../ledger/caseTrust.js";
import { SightlineError } from "../sightlineError.js";
import type { CaseStateCache } from "../vault/caseStateCache.js";
import { readCaseFile, readLedgerEvents } from "../vault/caseStore.js";
import type * as Rfc3161 from "./rfc3161.js";
import { TimestampFault } from "./timestampFault.js";
import { storeToken } from "./tokenStore.js";
import { exchangeWithTsa, TsaUnreachable, tsaUrl, type TsaExchangeOptions } from "./tsaClient.js";
import { TsaSettingsStore, type StoredTsa } from "./tsaSettings.js";

export interface TimestampTools {
  keyStore: KeyStore;
  states: CaseStateCache;
  /** Appends under the case's writer lock; `recheck` runs under the lock first (ledger/caseAppend.ts). */
  append: CaseAppend;
  exchange?: TsaExchangeOptions;
}

const refOf = (e: LedgerEvent): EventRef => ({ seq: e.seq, hash: e.hash });

/** rfc3161.ts brings in pkijs and asn1js (a few hundred ms to load): the first call that makes or reads a token loads it. */
const rfc3161 = (): Promise<typeof Rfc3161> => import("./rfc3161.js");

export class TimestampService {
  private readonly settings: TsaSettingsStore;

  constructor(private readonly tools: TimestampTools) {
    this.settings = new TsaSettingsStore(tools.keyStore.profileDir);
  }

  private async examinerKeyId(dir: string): Promise<string> {
    return (await this.tools.keyStore.findFor(await trustedExaminers(dir))).keyId;
  }

  async timestampAuthorities({ dir }: ApiParsedInput<"timestampAuthorities">): Promise<TsaInfo[]> {
    return describeTsas(await this.settings.list(await this.examinerKeyId(path.resolve(dir))));
  }

  async saveTimestampAuthority(input: ApiParsedInput<"saveTimestampAuthority">): Promise<TsaInfo[]> {
    try {
      tsaUrl(input.url);
    } catch (error) {
      throw new SightlineError("invalid-input", (error as Error).message);
    }
    const keyId = await this.examinerKeyId(path.resolve(input.dir));
    const name = input.name || new URL(input.url).host;
    return describeTsas(await this.settings.save(keyId, { url: input.url, name, anchorsPem: input.anchorsPem }));
  }

  async removeTimestampAuthority({ dir, url }: ApiParsedInput<"removeTimestampAuthority">): Promise<TsaInfo[]> {
    return describeTsas(await this.settings.remove(await this.examinerKeyId(path.resolve(dir)), url));
  }

  /**
   * Timestamps the ledger's head, or `of`: a head the caller recorded (a report's `report.generated`),
   * which the ledger may have moved past by now; the token then covers exactly that event.
   */
  async timestampLedger(
    { dir: given, tsaUrl: chosen }: ApiParsedInput<"timestampLedger">,
    of?: EventRef,
  ): Promise<TimestampOutcome> {
    const dir = path.resolve(given);
    await readCaseFile(dir);
    const configured = await this.settings.list(await this.examinerKeyId(dir));
    const authorities = chosen ? configured.filter((t) => t.url === chosen) : configured;
    if (authorities.length === 0) {
      throw new SightlineError(
        "invalid-input",
        chosen
          ? "no time-stamping authority at that address is configured for this examiner; add it with its trust anchors first"
          : "no time-stamping authority is configured for this examiner; add one with its trust anchors first",
      );
    }
    const current = (await this.tools.states.get(dir)).head;
    if (!current) throw new SightlineError("not-a-case", `${dir} has no ledger head to timestamp`);
    if (of && of.seq > current.seq) {
      throw new SightlineError("invalid-input", `event #${of.seq} is past the ledger's head (#${current.seq})`);
    }
    const head = of ?? current;
    const { newNonce, imprintOf } = await rfc3161();
    const nonce = newNonce();
    const reasons: string[] = [];
    for (const tsa of authorities) {
      const token = await this.ask(tsa, head, nonce, reasons);
      if (token) return this.record(dir, tsa, head, nonce, token, null);
    }
    const [event] = await this.tools.append(dir, [
      {
        type: "timestamp.requested",
        payload: {
          head: { ...head },
          tsaUrl: authorities[0]!.url,
          imprint: imprintOf(head.hash),
          nonce,
          reason: reasons.join("; ").slice(0, 500),
        } satisfies TimestampRequested,
      },
    ]);
    return {
      status: "queued",
      ref: refOf(event!),
      head: { ...head },
      tsaUrl: authorities[0]!.url,
      reason: reasons.join("; "),
    };
  }

  async sendPendingTimestamps({ dir: given }: ApiParsedInput<"sendPendingTimestamps">): Promise<TimestampOutcome[]> {
    const dir = path.resolve(given);
    await readCaseFile(dir);
    const configured = await this.settings.list(await this.examinerKeyId(dir));
    const outcomes: TimestampOutcome[] = [];
    const events = await readLedgerEvents(dir);
    const known: PendingView = {
      head: events.at(-1) ?? null,
      pending: new Set(pendingRequests(events).map((e) => e.seq)),
    };
    for (const pending of pendingRequests(events)) {
      const p = pending.payload;
      const tsa = configured.find((t) => t.url === p.tsaUrl);
      const reasons: string[] = [];
      const token = tsa
        ? await this.ask(tsa, p.head, p.nonce, reasons)
        : (reasons.push("that authority is no longer configured for this examiner"), null);
      outcomes.push(
        token && tsa
          ? await this.record(dir, tsa, p.head, p.nonce, token, refOf(pending), known)
          : { status: "queued", ref: refOf(pending), head: p.head, tsaUrl: p.tsaUrl, reason: reasons.join("; ") },
      );
    }
    return outcomes;
  }

  async listTimestamps({ dir: given }: ApiParsedInput<"listTimestamps">): Promise<ApiOutput<"listTimestamps">> {
    const dir = path.resolve(given);
    await readCaseFile(dir);
    const state = await this.tools.states.get(dir);
    const events = await readLedgerEvents(dir);
    const pending = new Set(pendingRequests(events).map((e) => e.seq));
    const nameOf = (keyId: string) => state.examiners.get(keyId)?.name ?? keyId;
    const list: TimestampInfo[] = [];
    for (const e of events) {
      const common = { ref: refOf(e), ts: e.ts, actorName: nameOf(e.actor) };
      if (e.type === "timestamp.recorded") {
        const p = e.payload as unknown as TimestampRecorded;
        list.push({
          status: "recorded",
          ...common,
          head: p.head,
          tsaUrl: p.tsaUrl,
          tsaName: p.tsaName,
          genTime: p.genTime,
          serial: p.serial,
          policy: p.policy,
          tokenPath: p.token.path,
          tokenSha256: p.token.sha256,
        });
      } else if (e.type === "timestamp.requested" && pending.has(e.seq)) {
        const p = e.payload as unknown as TimestampRequested;
        list.push({ status: "pending", ...common, head: p.head, tsaUrl: p.tsaUrl, reason: p.reason });
      }
    }
    return list;
  }

  /** The token the authority grants, or null (with the reason pushed) when it cannot be reached. Bad answers throw. */
  private async ask(tsa: StoredTsa, head: EventRef, nonce: string, reasons: string[]): Promise<Buffer | null> {
    const { buildQuery, tokenOfReply } = await rfc3161();
    try {
      const reply = await exchangeWithTsa(tsa.url, buildQuery(head.hash, nonce), this.tools.exchange);
      return tokenOfReply(reply);
    } catch (error) {
      if (error instanceof TsaUnreachable) {
        reasons.push(`${tsa.name}: ${error.message}`);
        return null;
      }
      if (error instanceof TimestampFault) {
        throw new SightlineError(
          "invalid-input",
          `${tsa.name}'s answer was refused: ${error.message}; nothing was recorded`,
        );
      }
      throw error;
    }
  }

  /**
   * Checks the token against the head, nonce and anchors; stores it and records it. A queued
   * `request` is answered only if `known` (the requests pending as of a ledger head) still says so.
   */
  private async record(
    dir: string,
    tsa: StoredTsa,
    head: EventRef,
    nonce: string,
    token: Buffer,
    request: EventRef | null,
    known?: PendingView,
  ): Promise<TimestampOutcome> {
    const refuse = (why: string) =>
      new SightlineError("invalid-input", `${tsa.name}'s timestamp was refused: ${why}; nothing was recorded`);
    const { checkToken, certificatesOfPem } = await rfc3161();
    let check;
    try {
      check = await checkToken(token, head.hash, certificatesOfPem(tsa.anchorsPem));
    } catch (error) {
      if (error instanceof TimestampFault) throw refuse(error.message);
      throw error;
    }
    const { facts } = check;
    if (check.imprintFault) throw refuse(check.imprintFault);
    if (facts.nonce !== nonce)
      throw refuse("the token does not carry the nonce that was sent (a replayed or misrouted answer)");
    if (check.signatureFault) throw refuse(check.signatureFault);
    if (!check.anchorSha256) throw refuse(check.trustFault ?? "the authority is not trusted");
    const tokenPath = await storeToken(dir, head, token);
    const payload: TimestampRecorded = {
      head: { seq: head.seq, hash: head.hash },
      request,
      tsaUrl: tsa.url,
      imprint: facts.imprint,
      nonce,
      token: { path: tokenPath, sha256: createHash("sha256").update(token).digest("hex"), size: token.length },
      genTime: facts.genTime,
      serial: facts.serial.slice(0, 128),
      tsaName: facts.tsaName,
      policy: facts.policy,
      signerCertSha256: facts.signerCertSha256,
      anchorSha256: check.anchorSha256,
    };
    // Under the lock: a queued request answered meanwhile (two windows sending the pending
    // requests at once) is not answered twice; the token stored for it is taken back. The ledger
    // is read again only when its head moved since `known` was read (another window appended).
    let isChecked = false;
    const answered = async (state: CaseState) => {
      if (request && known) {
        const now = state.head;
        if (now?.seq !== known.head?.seq || now?.hash !== known.head?.hash) {
          const events = await readLedgerEvents(dir);
          Object.assign(known, {
            head: events.at(-1) ?? null,
            pending: new Set(pendingRequests(events).map((e) => e.seq)),
          });
        }
        if (!known.pending.has(request.seq)) {
          throw refuse(`request #${request.seq} was answered by another request meanwhile`);
        }
      }
      isChecked = true;
    };
    let event: LedgerEvent | undefined;
    try {
      [event] = await this.tools.append(dir, [{ type: "timestamp.recorded", payload }], answered);
    } catch (error) {
      // The token goes only if the event naming it was not written: an error can also come
      // after the event is in the ledger (the writer failing to close), and then the ledger needs it.
      if (!isChecked || !(await namesToken(dir, tokenPath))) {
        await unlink(path.join(dir, tokenPath)).catch(() => undefined);
      }
      throw error;
    }
    if (request && known) {
      known.head = event!;
      known.pending.delete(request.seq);
    }
    return {
      status: "recorded",
      ref: refOf(event!),
      head: payload.head,
      tsaUrl: tsa.url,
      tsaName: facts.tsaName,
      genTime: facts.genTime,
      tokenPath,
    };
  }
}

/** The requests pending as of a ledger head (null: an empty ledger). */
interface PendingView {
  head: EventRef | null;
  pending: Set<number>;
}

/** Whether a `timestamp.recorded` in the case's ledger names the token at `tokenPath`; when unsure, true. */
async function namesToken(dir: string, tokenPath: string): Promise<boolean> {
  try {
    return (await readLedgerEvents(dir)).some(
      (e) => e.type === "timestamp.recorded" && (e.payload as unknown as TimestampRecorded).token.path === tokenPath,
    );
  } catch {
    return true;
  }
}

/** `timestamp.requested` events no `timestamp.recorded` answers yet. */
export function pendingRequests(events: LedgerEvent[]): LedgerEvent<TimestampRequested>[] {
  const answered = new Set<string>();
  for (const e of events) {
    const request = e.type === "timestamp.recorded" ? (e.payload as { request?: EventRef | null }).request : null;
    if (request) answered.add(`${request.seq}:${request.hash}`);
  }
  return events.filter(
    (e): e is LedgerEvent<TimestampRequested> =>
      e.type === "timestamp.requested" && !answered.has(`${e.seq}:${e.hash}`),
  );
}

async function describeTsas(list: StoredTsa[]): Promise<TsaInfo[]> {
  const rfc = await rfc3161();
  return list.map((tsa) => describeTsa(rfc, tsa));
}

function describeTsa({ certificatesOfPem, derSha256 }: typeof Rfc3161, tsa: StoredTsa): TsaInfo {
  const anchors = (() => {
    try {
      return certificatesOfPem(tsa.anchorsPem);
    } catch {
      return [];
    }
  })();
  return {
    url: tsa.url,
    name: tsa.name,
    anchors: anchors.map((c) => ({
      subject: c.subject.typesAndValues
        .map((tv) => String((tv.value.valueBlock as { value?: unknown }).value ?? ""))
        .join(", "),
      sha256: derSha256(c),
      notAfter: c.notAfter.value.toISOString(),
    })),
  };
}
