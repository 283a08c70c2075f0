/** Near-duplicate groups of a case, from the pHashes its `derivative.created` events record. */
import type { NearDuplicateGroup } from "../api/contract.js";
import type { CaseState } from "../ledger/caseState.js";
import { NEAR_DUPLICATE_THRESHOLD, nearDuplicateGroups, type HashedPicture } from "./phash.js";

/** Every picture of the case with a pHash: image thumbnails and video keyframes. */
export function hashedPictures(state: CaseState): HashedPicture[] {
  const pictures: HashedPicture[] = [];
  for (const item of state.items.values()) {
    for (const d of item.derivatives) {
      if (d.phash && (d.role === "thumbnail" || d.role === "keyframe")) {
        pictures.push({
          itemSha256: item.sha256,
          phash: d.phash,
          timestampS: d.timestampS,
          derivativeSha256: d.sha256,
        });
      }
    }
  }
  return pictures;
}

export function findNearDuplicateGroups(state: CaseState, threshold = NEAR_DUPLICATE_THRESHOLD): NearDuplicateGroup[] {
  const name = (sha: string) => state.items.get(sha)?.displayName ?? sha;
  return nearDuplicateGroups(hashedPictures(state), threshold).map((g) => ({
    items: g.items.map((sha256) => ({ sha256, name: name(sha256) })),
    links: g.links.map((l) => ({
      a: l.picture.itemSha256,
      b: l.match.itemSha256,
      distance: l.distance,
      aAtS: l.picture.timestampS,
      bAtS: l.match.timestampS,
    })),
  }));
}
