/**
 * The where-and-when services behind `geoContract` (shared/api/geoContract.ts): reference imagery,
 * tile layers, map snapshots, geolocations and their reviews, chronolocations, the case map and
 * exports. Every change is a ledger event appended through the facade's writer.
 */
import type { ApiParsedInput, ApiOutput } from "../../../shared/api/contract.js";
import type { EventDraft, LedgerEvent } from "../../../shared/ledger/events.js";
import type { KeyStore } from "../examiners/keyStore.js";
import type { CaseStateCache } from "../vault/caseStateCache.js";
import { SightlineError } from "../sightlineError.js";

export interface GeoServiceTools {
  keyStore: KeyStore;
  states: CaseStateCache;
  /** Appends events under the case's writer lock and tells every window the ledger moved. */
  append(dir: string, drafts: EventDraft[]): Promise<LedgerEvent[]>;
}

const notYet = (): never => {
  throw new SightlineError("internal", "this part of the map is not in this build");
};

export class GeoService {
  constructor(private readonly tools: GeoServiceTools) {}

  async inspectReference(_: ApiParsedInput<"inspectReference">): Promise<ApiOutput<"inspectReference">> {
    return notYet();
  }
  async markReference(_: ApiParsedInput<"markReference">): Promise<ApiOutput<"markReference">> {
    return notYet();
  }
  async listReferences(_: ApiParsedInput<"listReferences">): Promise<ApiOutput<"listReferences">> {
    return notYet();
  }
  async tileSources(_: ApiParsedInput<"tileSources">): Promise<ApiOutput<"tileSources">> {
    return notYet();
  }
  async saveTileSource(_: ApiParsedInput<"saveTileSource">): Promise<ApiOutput<"saveTileSource">> {
    return notYet();
  }
  async removeTileSource(_: ApiParsedInput<"removeTileSource">): Promise<ApiOutput<"removeTileSource">> {
    return notYet();
  }
  async tileUrl(_: ApiParsedInput<"tileUrl">): Promise<ApiOutput<"tileUrl">> {
    return notYet();
  }
  async saveMapSnapshot(_: ApiParsedInput<"saveMapSnapshot">): Promise<ApiOutput<"saveMapSnapshot">> {
    return notYet();
  }
  async proposeGeolocation(_: ApiParsedInput<"proposeGeolocation">): Promise<ApiOutput<"proposeGeolocation">> {
    return notYet();
  }
  async reviewGeolocation(_: ApiParsedInput<"reviewGeolocation">): Promise<ApiOutput<"reviewGeolocation">> {
    return notYet();
  }
  async recordChronolocation(_: ApiParsedInput<"recordChronolocation">): Promise<ApiOutput<"recordChronolocation">> {
    return notYet();
  }
  async listGeolocations(_: ApiParsedInput<"listGeolocations">): Promise<ApiOutput<"listGeolocations">> {
    return notYet();
  }
  async caseMap(_: ApiParsedInput<"caseMap">): Promise<ApiOutput<"caseMap">> {
    return notYet();
  }
  async exportGeolocations(_: ApiParsedInput<"exportGeolocations">): Promise<ApiOutput<"exportGeolocations">> {
    return notYet();
  }
}
