/**
 * For the verification pool's tests: Ed25519 keys and signature checks made here, as the ledger holds
 * them, and what a file check's answers must be after a thread died.
 */
import assert from "node:assert/strict";
import { createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { FileCheckResult, SignatureCheck } from "../../electron/services/ledger/verifyPool.js";

export interface TestKey {
  /** Base64 DER SubjectPublicKeyInfo. */
  publicKey: string;
  privateKey: KeyObject;
}

export function newKey(): TestKey {
  const pair = generateKeyPairSync("ed25519");
  return {
    publicKey: pair.publicKey.export({ type: "spki", format: "der" }).toString("base64"),
    privateKey: pair.privateKey,
  };
}

/** A check as the ledger holds it: the SHA-256 of `text`, signed as its 32 raw bytes. */
export function signed(key: TestKey, text: string): SignatureCheck {
  const hash = digest("sha256", text);
  return {
    publicKey: key.publicKey,
    hash,
    sig: sign(null, Buffer.from(hash, "hex"), key.privateKey).toString("base64"),
  };
}

/** Hex digest of `bytes` by node:crypto, to hold the pool's answers against. */
export const digest = (algorithm: string, bytes: Buffer | string): string =>
  createHash(algorithm).update(bytes).digest("hex");

/**
 * Never intact unless it is: each answer for `files` (SHA-256 asked) is either not checked, with a
 * reason matching `reason`, or the file's true digest. Returns how many were checked.
 */
export async function assertCheckedOrNotChecked(
  results: readonly FileCheckResult[],
  files: readonly string[],
  reason: RegExp,
): Promise<number> {
  let checked = 0;
  for (const [i, result] of results.entries()) {
    if (result.kind === "error") {
      assert.match(result.message, reason);
      continue;
    }
    assert.equal(result.kind, "file", `${i}: ${JSON.stringify(result)}`);
    assert.equal(result.digests.sha256, digest("sha256", await readFile(files[i]!)));
    checked++;
  }
  return checked;
}
