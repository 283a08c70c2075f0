/**
 * A SightlineService for a test file, closed when the file's tests have ended: its jobs settle and
 * its case cache writes the checkpoints it still holds into the examiner's profile before tempDir's
 * folders are removed at exit (a checkpoint written into a profile while it was removed once
 * failed a run with ENOTEMPTY). Registered on the file's root, so a service made in a `before`
 * hook lives until the last test too.
 */
import { after } from "node:test";
import type { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { SightlineService } from "../../electron/services/sightlineService.js";

const open: SightlineService[] = [];

after(async () => {
  await Promise.all(open.splice(0).map((service) => service.close()));
});

export function testService(keyStore: KeyStore): SightlineService {
  const service = new SightlineService(keyStore);
  open.push(service);
  return service;
}
