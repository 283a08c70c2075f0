/**
 * Chronolocation records: when an item was made as far as the sun tells, beside the claimed
 * times, with the shadow measurements behind the estimate and the sun model that computed it
 * (suncalc, at the version installed: its azimuth convention changed between versions).
 */
import type { ApiOutput, ApiParsedInput } from "../../../shared/api/contract.js";
import type { CaseState } from "../../../shared/ledger/caseState.js";
import { ChronolocationRecordedPayload } from "../../../shared/ledger/geoEvents.js";
import { libraryVersion } from "../media/libraryVersions.js";
import { SightlineError } from "../sightlineError.js";
import { appendOne, itemIn, openGeoCase, type GeoServiceTools } from "./geoCase.js";
import { checkFrameImage } from "./geolocations.js";

const refuse = (message: string) => new SightlineError("invalid-input", message);

export async function recordChronolocation(
  tools: GeoServiceTools,
  input: ApiParsedInput<"recordChronolocation">,
): Promise<ApiOutput<"recordChronolocation">> {
  const { dir, state } = await openGeoCase(tools, input.dir);
  const item = itemIn(state, input.sha256);
  const checkReplaced = (now: CaseState) => {
    if (!input.replaces) return;
    const ref = input.replaces;
    const old = now.geo.chronolocations.find((c) => c.ref.seq === ref.seq && c.ref.hash === ref.hash);
    if (!old || old.payload.sha256 !== item.sha256) {
      throw refuse(`event ${ref.seq} is not a chronolocation of this item, so it cannot be replaced`);
    }
    if (old.replacedBy) {
      throw refuse(`that chronolocation was already replaced (by event ${old.replacedBy.seq}); revise the current one`);
    }
  };
  checkReplaced(state);
  input.shadows.forEach((s, i) => checkFrameImage(item, s.frame.image, `shadow measurement ${i + 1}`));
  const { dir: _dir, ...fields } = input;
  const parsed = ChronolocationRecordedPayload.safeParse({
    ...fields,
    sunModel: { name: "suncalc", version: libraryVersion("suncalc") },
  });
  if (!parsed.success) throw refuse(parsed.error.issues[0]?.message ?? "the chronolocation is not complete");
  // Again under the lock: two revisions of one chronolocation sent at once must not both be written.
  const event = await appendOne(tools, dir, { type: "chronolocation.recorded", payload: parsed.data }, checkReplaced);
  return { seq: event.seq, hash: event.hash };
}
