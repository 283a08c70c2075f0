/**
 * CASE/UCO export of a real case (pictures imported and analysed by the real CLI, a status
 * change, a geolocation): the JSON-LD checked against the vendored CASE 1.4.0 / UCO 1.4.0
 * ontology files (tests/validators/case-uco/): every class and property it uses is defined
 * there, every hash method is in UCO's HashNameVocab, and each node meets the properties its
 * class's own shape requires (sh:minCount 1). Not a SHACL engine: none can be installed here.
 * The export is a ledger event that verify and verify-ledger.py accept; hostile targets are refused.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFile, chmod, mkdir, readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { trustedExaminers } from "../../electron/services/ledger/caseTrust.js";
import { LedgerWriter } from "../../electron/services/ledger/ledgerWriter.js";
import { verifyCase } from "../../electron/services/ledger/verifyCase.js";
import { readLedgerEvents } from "../../electron/services/vault/caseStore.js";
import { runCli, REPO_ROOT } from "../support/cli.js";
import { tempDir } from "../support/fixtures.js";
import { proposal } from "../support/geoLedger.js";
import { makeJpeg } from "../support/mediaCorpus.js";

const ONTOLOGY = path.join(REPO_ROOT, "tests", "validators", "case-uco");
/** The vendored files' own prefixes, as the export names them. */
const PREFIXES: Record<string, string> = { investigation: "case-investigation" };

interface Ontology {
  terms: Set<string>;
  /** Class → properties its own shape requires (sh:minCount 1). */
  required: Map<string, string[]>;
  /** Each term's definition, as written. */
  definitions: Map<string, string>;
}

async function loadOntology(): Promise<Ontology> {
  const terms = new Set<string>();
  const required = new Map<string, string[]>();
  const definitions = new Map<string, string>();
  for (const name of (await readdir(ONTOLOGY)).filter((f) => f.endsWith(".ttl"))) {
    const text = await readFile(path.join(ONTOLOGY, name), "utf8");
    // Each definition starts at column 0 as `prefix:Name` and runs to the next one.
    const blocks = text.split(/\n(?=[a-z-]+:[A-Za-z_]+\n)/);
    for (const block of blocks) {
      const head = /^([a-z-]+):([A-Za-z_]+)\n/.exec(block);
      if (!head) continue;
      const term = `${PREFIXES[head[1]!] ?? `uco-${head[1]}`}:${head[2]}`;
      terms.add(term);
      definitions.set(term, block);
      const needs = [...block.matchAll(/\[([^[\]]*?)\]/g)]
        .map((m) => m[1]!)
        .filter((shape) => /sh:minCount "1"/.test(shape))
        .map((shape) => /sh:path ([a-z-]+):([A-Za-z_]+)/.exec(shape))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => `${PREFIXES[m[1]!] ?? `uco-${m[1]}`}:${m[2]}`);
      if (needs.length > 0) required.set(term, needs);
    }
  }
  return { terms, required, definitions };
}

type JsonNode = Record<string, unknown>;

/** An area drawn on the map: four corners, not closed. */
const AREA = [
  { lat: 18.44, lon: 1.4 },
  { lat: 18.44, lon: 1.41 },
  { lat: 18.45, lon: 1.41 },
  { lat: 18.45, lon: 1.4 },
];

function* nodes(value: unknown): Generator<JsonNode> {
  if (Array.isArray(value)) for (const v of value) yield* nodes(v);
  else if (value && typeof value === "object") {
    const node = value as JsonNode;
    if (typeof node["@type"] === "string" && "@id" in node) yield node;
    for (const [k, v] of Object.entries(node)) if (k !== "@context") yield* nodes(v);
  }
}

test("a real case exports as CASE/UCO JSON-LD whose terms and required properties the ontology defines", async () => {
  const root = await tempDir();
  const home = path.join(root, "home");
  const caseDir = path.join(root, "case");
  const media = path.join(root, "media");
  await makeJpeg(path.join(media, "kidal <b>roof</b>.jpg"), { width: 320, height: 240, seed: 4, exif: true });
  await makeJpeg(path.join(media, "mbera-tent.jpg"), { width: 300, height: 200, seed: 9 });
  assert.equal(
    (
      await runCli(
        ["init", caseDir, "--title", "Kidal <script>x</script>", "--examiner", "A. Analyst", "--hash", "md5,sha1"],
        home,
      )
    ).code,
    0,
  );
  const imported = await runCli(["import", caseDir, media, "--source-url", "https://t.me/kidal/1"], home);
  assert.equal(imported.code, 0, imported.stderr);
  const items = (await readLedgerEvents(caseDir)).filter((e) => e.type === "item.imported");
  const sha = items[0]!.payload.sha256 as string;
  const key = await new KeyStore(home).findFor(await trustedExaminers(caseDir));
  const writer = await LedgerWriter.open(caseDir, { key });
  await writer.append([
    {
      type: "status.changed",
      payload: { sha256: sha, from: "unverified", to: "in-review", reason: "matched the roofline" },
    },
    { type: "geolocation.proposed", payload: proposal(sha) },
    {
      type: "geolocation.proposed",
      payload: proposal(items[1]!.payload.sha256 as string, { place: { shape: "area", ring: AREA } }),
    },
  ]);
  await writer.close();

  const out = path.join(root, "out", "case.jsonld");
  await mkdir(path.dirname(out));
  const run = await runCli(["export", caseDir, "--format", "case-uco", "--out", out, "--json"], home);
  assert.equal(run.code, 0, run.stderr);
  const bytes = await readFile(out);
  const doc = JSON.parse(bytes.toString("utf8")) as { "@context": Record<string, string>; "@graph": JsonNode[] };
  assert.equal(doc["@context"]["uco-core"], "https://ontology.unifiedcyberontology.org/uco/core/");
  assert.equal(doc["@context"]["case-investigation"], "https://ontology.caseontology.org/case/investigation/");

  const ontology = await loadOntology();
  // The shape reading finds what UCO requires of a hash, so the check below is not empty.
  assert.deepEqual(ontology.required.get("uco-types:Hash")?.sort(), ["uco-types:hashMethod", "uco-types:hashValue"]);
  const all = [...nodes(doc["@graph"])];
  const unknown = new Set<string>();
  for (const node of all) {
    if (!ontology.terms.has(node["@type"] as string)) unknown.add(`class ${node["@type"]}`);
    for (const key of Object.keys(node))
      if (!key.startsWith("@") && !ontology.terms.has(key)) unknown.add(`property ${key}`);
  }
  assert.deepEqual([...unknown], [], "every class and property is defined in CASE 1.4.0 / UCO 1.4.0");
  const missing = all.flatMap((node) =>
    (ontology.required.get(node["@type"] as string) ?? [])
      .filter((p) => !(p in node))
      .map((p) => `${node["@id"]} lacks ${p}`),
  );
  assert.deepEqual(missing, []);
  // Hash methods are members of UCO's HashNameVocab, and values typed hexBinary.
  const hashes = all.filter((n) => n["@type"] === "uco-types:Hash");
  assert.equal(
    hashes.length,
    items.length * 3 +
      all.filter((n) => String(n["@id"]).startsWith("kb:derived-") && n["@type"] === "uco-observable:ObservableObject")
        .length,
  );
  for (const h of hashes) {
    const method = h["uco-types:hashMethod"] as { "@type": string; "@value": string };
    assert.equal(method["@type"], "uco-vocabulary:HashNameVocab");
    const members = /owl:oneOf \(([^)]*)\)/.exec(ontology.definitions.get(method["@type"]) ?? "")?.[1] ?? "";
    assert.ok(members.includes(`"${method["@value"]}"`), `${method["@value"]} is a HashNameVocab member`);
  }

  // Every item an observable with its SHA-256; acquisitions, derivatives, the review and the geolocation actions.
  for (const e of items) {
    const obs = all.find((n) => n["@id"] === `kb:item-${e.payload.sha256}`);
    assert.ok(obs, "each item is an observable");
    assert.match(JSON.stringify(obs), new RegExp(e.payload.sha256 as string));
  }
  const actions = all.filter((n) => n["@type"] === "case-investigation:InvestigativeAction");
  const names = new Set(actions.map((a) => a["uco-core:name"]));
  for (const name of ["acquired", "thumbnail made", "review status changed", "geolocated"])
    assert.ok(names.has(name), name);
  for (const a of actions) {
    for (const p of ["uco-action:performer", "uco-action:instrument", "uco-action:startTime"])
      assert.ok(p in a, `${a["@id"]} ${p}`);
  }
  // An area keeps every corner: its coordinates facet is their middle, its own facet lists them in order and as WKT.
  const areaAction = actions.find((a) => /an area of 4 corners/.test(String(a["uco-core:description"])));
  assert.ok(areaAction, "the area's geolocation is an action that says it is an area");
  const resultId = (areaAction["uco-action:result"] as { "@id": string }[])[0]!["@id"];
  const area = doc["@graph"].find((n) => n["@id"] === resultId)!;
  assert.equal(area["@type"], "uco-location:Location");
  const [middle, corners] = area["uco-core:hasFacet"] as JsonNode[];
  const value = (v: unknown) => Number((v as { "@value": string })["@value"]);
  assert.equal(middle!["@type"], "uco-location:LatLongCoordinatesFacet");
  assert.ok(Math.abs(value(middle!["uco-location:latitude"]) - 18.445) < 1e-9);
  assert.ok(Math.abs(value(middle!["uco-location:longitude"]) - 1.405) < 1e-9);
  assert.deepEqual(corners!["@type"], ["sightline:AreaFacet", "uco-core:Facet"]);
  assert.deepEqual(
    (corners!["sightline:corners"] as { "@list": JsonNode[] })["@list"].map((c) => [
      value(c["uco-location:latitude"]),
      value(c["uco-location:longitude"]),
    ]),
    AREA.map((c) => [c.lat, c.lon]),
  );
  assert.deepEqual(corners!["geo:asWKT"], {
    "@type": "geo:wktLiteral",
    "@value": "POLYGON((1.4 18.44, 1.41 18.44, 1.41 18.45, 1.4 18.45, 1.4 18.44))",
  });
  assert.equal(doc["@context"]["geo"], "http://www.opengis.net/ont/geosparql#");
  const record = all.find((n) => n["@type"] === "case-investigation:ProvenanceRecord")!;
  assert.equal((record["uco-core:object"] as unknown[]).length, items.length);
  assert.match(
    String(all.find((n) => n["@type"] === "uco-core:Bundle")?.["uco-core:specVersion"]),
    /CASE 1\.4\.0, UCO 1\.4\.0/,
  );
  // Text from the case stays a JSON string: the title's markup is in a value, not in any IRI.
  assert.ok(all.every((n) => !/[<>\s]/.test(String(n["@id"]))));

  // The export is recorded, and the case still verifies with both checkers.
  const event = (await readLedgerEvents(caseDir)).at(-1)!;
  assert.equal(event.type, "uco.exported");
  assert.deepEqual((event.payload as { file: unknown }).file, {
    name: "case.jsonld",
    sha256: createHash("sha256").update(bytes).digest("hex"),
    size: bytes.length,
  });
  // The same bytes are kept in the case's exports/, by the path the event names.
  const kept = (event.payload as { path: string }).path;
  assert.match(kept, /^exports\/[A-Za-z0-9]+-case-uco-\d{8}T\d{9}Z\.jsonld$/);
  assert.deepEqual(await readFile(path.join(caseDir, kept)), bytes);
  const verified = await verifyCase(caseDir);
  assert.equal(verified.isClean, true);
  assert.ok(verified.exportsChecked >= 1, "verify re-hashed the copy in exports/");
  const python = spawnSync("python3", ["resources/verify-ledger.py", caseDir], { cwd: REPO_ROOT, encoding: "utf8" });
  assert.equal(python.status, 0, python.stdout);
  const exportsBefore = await readdir(path.join(caseDir, "exports"));

  // An existing file is never replaced, and the case's own folder is refused; nothing is recorded.
  const count = (await readLedgerEvents(caseDir)).length;
  const again = await runCli(["export", caseDir, "--format", "case-uco", "--out", out], home);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already exists; nothing was replaced/);
  const inside = await runCli(
    ["export", caseDir, "--format", "case-uco", "--out", path.join(caseDir, "exports", "x.jsonld")],
    home,
  );
  assert.equal(inside.code, 1);
  assert.match(inside.stderr, /cannot be written inside the case it holds/);
  const bad = await runCli(["export", caseDir, "--format", "rdf", "--out", path.join(root, "y.jsonld")], home);
  assert.equal(bad.code, 2);
  assert.equal((await readLedgerEvents(caseDir)).length, count);
  assert.deepEqual(
    await readdir(path.join(caseDir, "exports")),
    exportsBefore,
    "a refused export leaves nothing in exports/",
  );
});

test("without --out the export is kept in exports/ only; verify re-hashes it, and an older event without a path still verifies", async () => {
  const { root, home, caseDir, writer } = await oneItemCase("Kept", 2);
  // An event as Sightline wrote it before exports were kept in the case: a file outside, no path.
  const head = writer.currentHead!;
  await writer.append([
    {
      type: "uco.exported",
      payload: {
        file: { name: "old.jsonld", sha256: "a".repeat(64), size: 10 },
        head: { seq: head.seq, hash: head.hash },
        ontology: { case: "1.4.0", uco: "1.4.0" },
        itemCount: 1,
        actionCount: 1,
        tool: { name: "Sightline", version: "0.1.0" },
      },
    },
  ]);
  await writer.close();
  const python = () =>
    spawnSync("python3", ["resources/verify-ledger.py", caseDir], { cwd: REPO_ROOT, encoding: "utf8" });
  assert.equal((await verifyCase(caseDir)).isClean, true);
  const before = python();
  assert.equal(before.status, 0, before.stdout);

  const run = await runCli(["export", caseDir, "--format", "case-uco", "--json"], home);
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { file: string; casePath: string; sha256: string };
  assert.equal(result.file, path.join(caseDir, result.casePath));
  assert.deepEqual(
    await readdir(root).then((names) => names.sort()),
    ["case", "home", "media"],
    "nothing beside the case",
  );
  const event = (await readLedgerEvents(caseDir)).at(-1)!;
  assert.equal((event.payload as { path: string }).path, result.casePath);
  assert.equal(
    createHash("sha256")
      .update(await readFile(result.file))
      .digest("hex"),
    result.sha256,
  );
  assert.equal((await verifyCase(caseDir)).isClean, true);

  // A copy changed after it was written is found by both checkers.
  await chmod(result.file, 0o600);
  await appendFile(result.file, " ");
  const verified = await verifyCase(caseDir);
  assert.deepEqual(
    verified.problems.map((p) => [p.code, p.file]),
    [["export-corrupt", result.casePath]],
  );
  const checked = python();
  assert.equal(checked.status, 1, checked.stdout);
  assert.match(checked.stdout, /\[export-corrupt\]/);
});

test("an export the ledger refuses to record leaves no copy, in the case or at --out", async () => {
  const { root, home, caseDir, writer } = await oneItemCase("Frozen", 3);
  // A submission in the ledger: the writer refuses a uco.exported after it, under its lock,
  // after both copies were written.
  const head = writer.currentHead!;
  await writer.append([
    {
      type: "exercise.submitted",
      payload: { head: { seq: head.seq, hash: head.hash }, minutesTaken: 1, hintsOpened: 0 },
    },
  ]);
  await writer.close();
  const exportsBefore = await readdir(path.join(caseDir, "exports")).catch(() => []);

  const out = path.join(root, "out", "case.jsonld");
  await mkdir(path.dirname(out));
  const run = await runCli(["export", caseDir, "--format", "case-uco", "--out", out], home);
  assert.equal(run.code === 0, false, run.stdout);
  assert.match(run.stderr, /frozen/);
  assert.deepEqual(await readdir(path.dirname(out)), [], "nothing left outside the case");
  assert.deepEqual(await readdir(path.join(caseDir, "exports")).catch(() => []), exportsBefore);
});

/** A case of one imported picture, made by the real CLI, and a writer open on its ledger. */
async function oneItemCase(title: string, seed: number) {
  const root = await tempDir();
  const home = path.join(root, "home");
  const caseDir = path.join(root, "case");
  await makeJpeg(path.join(root, "media", "a.jpg"), { width: 64, height: 48, seed });
  assert.equal((await runCli(["init", caseDir, "--title", title, "--examiner", "A. Analyst"], home)).code, 0);
  assert.equal((await runCli(["import", caseDir, path.join(root, "media"), "--no-analyse"], home)).code, 0);
  const key = await new KeyStore(home).findFor(await trustedExaminers(caseDir));
  return { root, home, caseDir, writer: await LedgerWriter.open(caseDir, { key }) };
}
