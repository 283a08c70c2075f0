/**
 * A case as CASE/UCO JSON-LD (Cyber-investigation Analysis Standard Expression 1.4.0 on the
 * Unified Cyber Ontology 1.4.0), built from the ledger's events alone: each item an
 * `uco-observable:ObservableObject` with a File facet (name, size) and a ContentData facet (its
 * hashes); each acquisition, derivative, status change, geolocation and review an
 * `case-investigation:InvestigativeAction` (performer, instrument, object, result, startTime);
 * the examiners `uco-identity:Identity` nodes in an `case-investigation:Examiner` role; the whole
 * under one `case-investigation:ProvenanceRecord`. Pure: the caller reads the ledger and writes
 * the text. Text from the case goes into JSON string values only (never into IRIs).
 *
 * A geolocation is a `uco-location:Location`: a point has one LatLongCoordinatesFacet; an area
 * (UCO 1.4.0 has no polygon) has a LatLongCoordinatesFacet at the middle of its corners and a
 * facet of its own typed `sightline:AreaFacet` and `uco-core:Facet` (the way the CASE examples'
 * location.json adds `acme:InternalLocationFacet`) with every corner in order, and the polygon as
 * an OGC GeoSPARQL WKT literal. docs/EXCHANGE.md says so.
 */
import type { LedgerEvent } from "../ledger/events.js";
import type { Place } from "../ledger/geoEvents.js";
import { centroid } from "../reports/reportPlaces.js";

export const CASE_VERSION = "1.4.0";
export const UCO_VERSION = "1.4.0";

const UCO = "https://ontology.unifiedcyberontology.org/uco/";
export const CASE_UCO_CONTEXT = {
  kb: "urn:sightline:",
  "case-investigation": "https://ontology.caseontology.org/case/investigation/",
  "uco-action": `${UCO}action/`,
  "uco-core": `${UCO}core/`,
  "uco-identity": `${UCO}identity/`,
  "uco-location": `${UCO}location/`,
  "uco-observable": `${UCO}observable/`,
  "uco-role": `${UCO}role/`,
  "uco-tool": `${UCO}tool/`,
  "uco-types": `${UCO}types/`,
  "uco-vocabulary": `${UCO}vocabulary/`,
  xsd: "http://www.w3.org/2001/XMLSchema#",
  geo: "http://www.opengis.net/ont/geosparql#",
  sightline: "urn:sightline:terms:",
} as const;

type Node = Record<string, unknown> & { "@id": string; "@type": string };
const ref = (id: string) => ({ "@id": id });
const dateTime = (value: string) => ({ "@type": "xsd:dateTime", "@value": value });
const HASH_NAMES: Record<string, string> = { sha256: "SHA256", sha1: "SHA1", md5: "MD5" };

function hashNode(id: string, algorithm: string, value: string): Node {
  return {
    "@id": id,
    "@type": "uco-types:Hash",
    "uco-types:hashMethod": { "@type": "uco-vocabulary:HashNameVocab", "@value": HASH_NAMES[algorithm] ?? algorithm },
    "uco-types:hashValue": { "@type": "xsd:hexBinary", "@value": value },
  };
}

/** A file as an observable: its name and size, and every hash recorded for it. */
function fileNode(id: string, name: string, size: number, hashes: [string, string][]): Node {
  return {
    "@id": id,
    "@type": "uco-observable:ObservableObject",
    "uco-core:hasFacet": [
      {
        "@id": `${id}-file`,
        "@type": "uco-observable:FileFacet",
        "uco-observable:fileName": name,
        "uco-observable:sizeInBytes": size,
      },
      {
        "@id": `${id}-content`,
        "@type": "uco-observable:ContentDataFacet",
        "uco-observable:sizeInBytes": size,
        "uco-observable:hash": hashes.map(([algorithm, value]) => hashNode(`${id}-${algorithm}`, algorithm, value)),
      },
    ],
  };
}

const decimal = (v: number) => ({ "@type": "xsd:decimal", "@value": String(v) });
const latLong = (p: { lat: number; lon: number }) => ({
  "uco-location:latitude": decimal(p.lat),
  "uco-location:longitude": decimal(p.lon),
});

/** A geolocation's place as a Location: a point, or an area with all its corners. */
function locationNode(id: string, place: Place): Node {
  if (place.shape === "point") {
    return {
      "@id": id,
      "@type": "uco-location:Location",
      "uco-core:hasFacet": [
        { "@id": `${id}-latlong`, "@type": "uco-location:LatLongCoordinatesFacet", ...latLong(place) },
      ],
    };
  }
  // WKT: longitude first, the ring closed by repeating its first corner (OGC 06-103r4).
  const ring = [...place.ring, place.ring[0]!].map((p) => `${p.lon} ${p.lat}`).join(", ");
  return {
    "@id": id,
    "@type": "uco-location:Location",
    "uco-core:hasFacet": [
      { "@id": `${id}-latlong`, "@type": "uco-location:LatLongCoordinatesFacet", ...latLong(centroid(place.ring)) },
      {
        "@id": `${id}-area`,
        "@type": ["sightline:AreaFacet", "uco-core:Facet"],
        "sightline:corners": { "@list": place.ring.map(latLong) },
        "geo:asWKT": { "@type": "geo:wktLiteral", "@value": `POLYGON((${ring}))` },
      },
    ],
  };
}

export interface CaseUcoInput {
  caseId: string;
  title: string;
  events: readonly LedgerEvent[];
  /** Names of the examiners by key id. */
  examiners: ReadonlyMap<string, string>;
  tool: { name: string; version: string };
  head: { seq: number; hash: string };
}

/** What each ledger event type becomes: the action's name, or null for events that are no action. */
const ACTION_NAMES: Record<string, string> = {
  "item.imported": "acquired",
  "derivative.created": "derivative made",
  "status.changed": "review status changed",
  "geolocation.proposed": "geolocated",
  "geolocation.reviewed": "geolocation reviewed",
  "chronolocation.recorded": "chronolocated",
};

export function caseUcoDocument(input: CaseUcoInput): { "@context": typeof CASE_UCO_CONTEXT; "@graph": Node[] } {
  const graph: Node[] = [];
  const item = (sha: string) => `kb:item-${sha}`;
  const identity = (keyId: string) => `kb:identity-${keyId.replace(/[^0-9a-f]/g, "").slice(-32)}`;
  const toolId = "kb:tool-sightline";
  graph.push({
    "@id": toolId,
    "@type": "uco-tool:Tool",
    "uco-core:name": input.tool.name,
    "uco-tool:version": input.tool.version,
  });
  graph.push({ "@id": "kb:role-examiner", "@type": "case-investigation:Examiner", "uco-core:name": "Examiner" });
  for (const [keyId, name] of input.examiners) {
    graph.push({
      "@id": identity(keyId),
      "@type": "uco-identity:Identity",
      "uco-core:name": name,
      "uco-core:description": `Ed25519 key ${keyId}`,
    });
    graph.push({
      "@id": `${identity(keyId)}-has-role`,
      "@type": "uco-core:Relationship",
      "uco-core:source": [ref(identity(keyId))],
      "uco-core:target": ref("kb:role-examiner"),
      "uco-core:kindOfRelationship": "Has_Role",
      "uco-core:isDirectional": true,
    });
  }
  const items = new Map<string, Node>();
  const actions: Node[] = [];
  for (const e of input.events) {
    const name = ACTION_NAMES[e.type];
    if (!name) continue;
    const p = e.payload as Record<string, any>;
    const id = `kb:action-${e.hash}`;
    const action: Node = {
      "@id": id,
      "@type": "case-investigation:InvestigativeAction",
      "uco-core:name": name,
      "uco-core:description": `ledger event ${e.seq} (${e.type}), hash ${e.hash}`,
      "uco-action:performer": ref(identity(e.actor)),
      "uco-action:instrument": [ref(toolId)],
      "uco-action:startTime": dateTime(e.ts),
    };
    if (e.type === "item.imported") {
      if (!items.has(p.sha256)) {
        const hashes: [string, string][] = [["sha256", p.sha256]];
        if (p.md5) hashes.push(["md5", p.md5]);
        if (p.sha1) hashes.push(["sha1", p.sha1]);
        items.set(p.sha256, fileNode(item(p.sha256), String(p.source?.originalName ?? ""), p.size, hashes));
      }
      action["uco-action:startTime"] = dateTime(String(p.acquisition?.acquiredAt ?? e.ts));
      action["uco-action:result"] = [ref(item(p.sha256))];
      action["uco-core:description"] =
        `${action["uco-core:description"]}; from ${p.source?.path ?? "?"}${p.collection?.sourceUrl ? `, source ${p.collection.sourceUrl}` : ""}`;
    } else if (e.type === "derivative.created") {
      const derived = `kb:derived-${p.sha256}`;
      graph.push(fileNode(derived, String(p.path).split("/").pop()!, p.size, [["sha256", p.sha256]]));
      const derivingTool = `kb:tool-${e.hash}`;
      graph.push({
        "@id": derivingTool,
        "@type": "uco-tool:Tool",
        "uco-core:name": p.tool.name,
        "uco-tool:version": p.tool.version,
      });
      action["uco-core:name"] = `${p.role} made`;
      action["uco-action:instrument"] = [ref(toolId), ref(derivingTool)];
      action["uco-action:object"] = [ref(item(p.parent))];
      action["uco-action:result"] = [ref(derived)];
    } else if (e.type === "geolocation.proposed" && p.place) {
      action["uco-action:object"] = [ref(item(p.sha256))];
      const location = `kb:location-${e.hash}`;
      graph.push(locationNode(location, p.place as Place));
      action["uco-action:result"] = [ref(location)];
      action["uco-core:description"] =
        `${action["uco-core:description"]}; confidence ${p.confidence}, precision ${p.precision?.class}${p.place.shape === "area" ? ` (an area of ${p.place.ring.length} corners; its coordinates facet is their middle)` : ""}`;
    } else {
      action["uco-action:object"] = [ref(item(p.sha256))];
      if (e.type === "status.changed")
        action["uco-core:description"] = `${action["uco-core:description"]}; ${p.from} to ${p.to}: ${p.reason}`;
      if (e.type === "geolocation.reviewed")
        action["uco-core:description"] = `${action["uco-core:description"]}; ${p.verdict}: ${p.reason}`;
    }
    actions.push(action);
  }
  graph.push(...items.values(), ...actions);
  graph.push({
    "@id": `kb:bundle-${input.head.hash}`,
    "@type": "uco-core:Bundle",
    "uco-core:specVersion": `CASE ${CASE_VERSION}, UCO ${UCO_VERSION}`,
    "uco-core:description": `Sightline ${input.tool.version} export of ledger head ${input.head.seq} ${input.head.hash}`,
  });
  graph.push({
    "@id": `kb:provenance-record-${input.head.hash}`,
    "@type": "case-investigation:ProvenanceRecord",
    "uco-core:name": `Sightline case ${input.title}`,
    "uco-core:description": `Case ${input.caseId}, ledger head ${input.head.seq} ${input.head.hash}; CASE ${CASE_VERSION}, UCO ${UCO_VERSION}`,
    "case-investigation:exhibitNumber": input.caseId,
    "uco-core:object": [...items.keys()].map((sha) => ref(item(sha))),
  });
  return { "@context": CASE_UCO_CONTEXT, "@graph": graph };
}
