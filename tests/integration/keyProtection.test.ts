/**
 * Examiner keys sealed at rest. The desktop shell hands the key store Electron's safeStorage (the
 * OS keychain), which cannot run here; these tests hand it a real AES-256-GCM protector in its
 * place and check what the store itself is responsible for: a sealed key never touches the disk
 * in the clear, it signs where its protector is, and anywhere else it is listed but refuses to
 * sign with a clear reason, without a second key being made behind the examiner's back.
 */
import assert from "node:assert/strict";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { createCase } from "../../electron/services/vault/caseStore.js";
import { KeyStore, type KeyProtector } from "../../electron/services/examiners/keyStore.js";
import { LedgerWriter } from "../../electron/services/ledger/ledgerWriter.js";
import { verifyCase } from "../../electron/services/ledger/verifyCase.js";
import { tempDir } from "../support/fixtures.js";

function aesProtector(key: Buffer, scheme = "test-aes-256-gcm"): KeyProtector {
  return {
    scheme,
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    open(sealed) {
      const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
    },
  };
}

test("a sealed key signs where its protector is, and only there", async () => {
  const root = await tempDir();
  const home = path.join(root, "home");
  const secret = randomBytes(32);
  const desktop = new KeyStore(home, aesProtector(secret));
  const key = await desktop.getOrCreate("A. Analyst");
  const [file] = await readdir(path.join(home, "keys"));
  const stored = JSON.parse(await readFile(path.join(home, "keys", file!), "utf8"));
  assert.equal(stored.privateKeyPkcs8, undefined, "no private key in the clear");
  assert.equal(stored.sealed.scheme, "test-aes-256-gcm");

  // It signs a real case, which verifies.
  const dir = path.join(root, "case");
  await createCase({ dir, title: "Sealed", key, hashAlgorithms: ["sha256"] });
  const caseFile = JSON.parse(await readFile(path.join(dir, "case.json"), "utf8"));
  const writer = await LedgerWriter.open(dir, { key: await desktop.findFor(caseFile.examiners) });
  await writer.close();
  assert.equal((await verifyCase(dir)).isClean, true);

  // Without the protector (the CLI), or with another keychain, it is listed but cannot sign.
  for (const elsewhere of [new KeyStore(home), new KeyStore(home, aesProtector(randomBytes(32)))]) {
    const [listed] = await elsewhere.list();
    assert.equal(listed!.keyId, key.keyId);
    assert.match(listed!.lockedBecause ?? "", /sealed by test-aes-256-gcm|could not be unsealed/);
    await assert.rejects(elsewhere.findFor(caseFile.examiners), (e: Error) => {
      assert.match(e.message, /the key of A\. Analyst (is sealed|could not be unsealed)/);
      assert.ok(!e.message.includes("\n"));
      return true;
    });
    // And no second key is made for the same examiner.
    await assert.rejects(elsewhere.getOrCreate("A. Analyst"), /the key of A\. Analyst/);
    assert.equal((await readdir(path.join(home, "keys"))).length, 1);
  }
  const otherScheme = new KeyStore(home, aesProtector(secret, "another-keychain"));
  assert.match((await otherScheme.list())[0]!.lockedBecause ?? "", /sealed by test-aes-256-gcm/);

  // Keys made without a protector keep working where there is one.
  const cliHome = path.join(root, "cli-home");
  const plain = await new KeyStore(cliHome).getOrCreate("B. Verifier");
  const reopened = await new KeyStore(cliHome, aesProtector(secret)).getOrCreate("B. Verifier");
  assert.equal(reopened.keyId, plain.keyId);
  assert.equal(reopened.lockedBecause, undefined);
});
