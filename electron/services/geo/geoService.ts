/**
 * The where-and-when services behind `geoContract` (shared/api/geoContract.ts): reference imagery,
 * tile layers, map snapshots, geolocations and their reviews, chronolocations, the case map and
 * exports. Every change is a ledger event appended through the facade's writer. This class only
 * delegates: each topic lives in its own module beside it.
 */
import type { ApiParsedInput, ApiOutput } from "../../../shared/api/contract.js";
import { caseMap } from "./caseMap.js";
import { recordChronolocation } from "./chronolocations.js";
import { openGeoCase, type GeoServiceTools } from "./geoCase.js";
import { exportGeolocations } from "./geoExports.js";
import { listGeolocations, proposeGeolocation, reviewGeolocation } from "./geolocations.js";
import { saveMapSnapshot } from "./mapSnapshot.js";
import { inspectReference, listReferences, markReference } from "./references.js";
import { TileSources } from "./tileSources.js";

export type { GeoServiceTools } from "./geoCase.js";

export class GeoService {
  private readonly tiles: TileSources;

  constructor(private readonly tools: GeoServiceTools) {
    this.tiles = new TileSources(tools);
  }

  /** Origins of every configured tile layer (presets and every examiner's own): the page's policy allows exactly these. */
  tileOrigins(): Promise<string[]> {
    return this.tiles.origins();
  }

  inspectReference(input: ApiParsedInput<"inspectReference">): Promise<ApiOutput<"inspectReference">> {
    return inspectReference(this.tools, input);
  }
  markReference(input: ApiParsedInput<"markReference">): Promise<ApiOutput<"markReference">> {
    return markReference(this.tools, input);
  }
  listReferences(input: ApiParsedInput<"listReferences">): Promise<ApiOutput<"listReferences">> {
    return listReferences(this.tools, input);
  }
  tileSources(input: ApiParsedInput<"tileSources">): Promise<ApiOutput<"tileSources">> {
    return this.tiles.list(input);
  }
  saveTileSource(input: ApiParsedInput<"saveTileSource">): Promise<ApiOutput<"saveTileSource">> {
    return this.tiles.save(input);
  }
  removeTileSource(input: ApiParsedInput<"removeTileSource">): Promise<ApiOutput<"removeTileSource">> {
    return this.tiles.remove(input);
  }
  tileUrl(input: ApiParsedInput<"tileUrl">): Promise<ApiOutput<"tileUrl">> {
    return this.tiles.tileUrl(input);
  }
  saveMapSnapshot(input: ApiParsedInput<"saveMapSnapshot">): Promise<ApiOutput<"saveMapSnapshot">> {
    return saveMapSnapshot(this.tools, this.tiles, input);
  }
  proposeGeolocation(input: ApiParsedInput<"proposeGeolocation">): Promise<ApiOutput<"proposeGeolocation">> {
    return proposeGeolocation(this.tools, this.tiles, input);
  }
  reviewGeolocation(input: ApiParsedInput<"reviewGeolocation">): Promise<ApiOutput<"reviewGeolocation">> {
    return reviewGeolocation(this.tools, input);
  }
  recordChronolocation(input: ApiParsedInput<"recordChronolocation">): Promise<ApiOutput<"recordChronolocation">> {
    return recordChronolocation(this.tools, input);
  }
  listGeolocations(input: ApiParsedInput<"listGeolocations">): Promise<ApiOutput<"listGeolocations">> {
    return listGeolocations(this.tools, input);
  }
  caseMap(input: ApiParsedInput<"caseMap">): Promise<ApiOutput<"caseMap">> {
    return caseMap(this.tools, input);
  }
  async exportGeolocations(input: ApiParsedInput<"exportGeolocations">): Promise<ApiOutput<"exportGeolocations">> {
    const { dir } = await openGeoCase(this.tools, input.dir);
    return exportGeolocations(this.tools, { ...input, dir });
  }
}
