/**
 * An examiner's own settings (the media veil): veiled unless they choose otherwise, kept in their
 * profile across sessions and cases, and refused with a clear reason to a profile with no key in
 * the case. A damaged settings file falls back to the safe default.
 */
import assert from "node:assert/strict";
import { readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { testService } from "../support/testService.js";
import { tempDir } from "../support/fixtures.js";

test("the veil is a per-examiner setting, veiled by default, kept in the profile", async () => {
  const root = await tempDir();
  const home = path.join(root, "home");
  const service = testService(new KeyStore(home));
  const first = path.join(root, "first");
  const second = path.join(root, "second");
  await service.createCase({ dir: first, title: "One", examiner: "A. Analyst", hashAlgorithms: ["sha256"] });
  await service.createCase({ dir: second, title: "Two", examiner: "A. Analyst", hashAlgorithms: ["sha256"] });

  const initial = await service.examinerSettings({ dir: first });
  assert.equal(initial.veilMediaByDefault, true);
  assert.equal(initial.examiner.name, "A. Analyst");
  assert.match(initial.examiner.keyId, /^ed25519:[0-9a-f]{32}$/);

  await service.setExaminerSettings({ dir: first, veilMediaByDefault: false });
  // Another session, another case, same examiner: the choice follows them.
  const later = testService(new KeyStore(home));
  assert.equal((await later.examinerSettings({ dir: second })).veilMediaByDefault, false);

  // A damaged file is not trusted: back to veiled.
  const [file] = await readdir(path.join(home, "settings"));
  await writeFile(path.join(home, "settings", file!), "{ not json");
  assert.equal((await later.examinerSettings({ dir: second })).veilMediaByDefault, true);
  await writeFile(path.join(home, "settings", file!), JSON.stringify({ veilMediaByDefault: "no" }));
  assert.equal((await later.examinerSettings({ dir: second })).veilMediaByDefault, true);

  // A profile whose keys the case does not trust has no settings in it.
  const stranger = testService(new KeyStore(path.join(root, "other-home")));
  await assert.rejects(stranger.examinerSettings({ dir: first }), (e: Error) => {
    assert.match(e.message, /none of this profile's keys .* is an examiner key of this case/);
    assert.ok(!e.message.includes("\n"));
    return true;
  });
  await assert.rejects(service.examinerSettings({ dir: path.join(root, "nowhere") }));
});
