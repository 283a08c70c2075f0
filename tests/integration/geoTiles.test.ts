/**
 * Online tile layers through the real loopback host: the presets, an examiner's own keyed layer
 * (the key kept in the profile at 0600 and never in an answer, the ledger or a snapshot), the
 * templates refused, and the page's Content-Security-Policy: in a real Chromium, a configured tile
 * host loads and an unconfigured one (another port on the same machine) stays blocked.
 */
import assert from "node:assert/strict";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { chromium } from "playwright-core";
import sharp from "sharp";
import { startLoopbackHost } from "../../electron/host/loopbackHost.js";
import { KeyStore } from "../../electron/services/examiners/keyStore.js";
import { testService } from "../support/testService.js";
import { createHttpClient } from "../../renderer/api/apiClient.js";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../support/chromium.js";
import { tempDir } from "../support/fixtures.js";
import { errorOf, startGeoCase, valueOf, type GeoCase } from "../support/geoHost.js";
import { startTileServer, type TileServer } from "../support/tileServer.js";

const KEY = "s3cr3t-Key_0042";

describe("tile layers", () => {
  let geo: GeoCase;
  let tiles: TileServer;
  let stranger: TileServer;
  let appDir: string;

  before(async () => {
    appDir = await tempDir("sightline-probe-app-");
    await mkdir(path.join(appDir, "assets"), { recursive: true });
    await writeFile(
      path.join(appDir, "index.html"),
      `<!doctype html><title>probe</title><script src="/assets/probe.js"></script>`,
    );
    // Loads each address as an image and by fetch, and lists what the policy blocked.
    await writeFile(
      path.join(appDir, "assets", "probe.js"),
      `window.blocked = [];
document.addEventListener("securitypolicyviolation", (e) => window.blocked.push(e.blockedURI));
window.probe = (url) => Promise.all([
  new Promise((r) => { const i = new Image(); i.onload = () => r("loaded"); i.onerror = () => r("error"); i.src = url; }),
  fetch(url).then((x) => "fetched " + x.status, () => "fetch failed"),
]);`,
    );
    geo = await startGeoCase({ appDir });
    tiles = await startTileServer();
    stranger = await startTileServer();
  });
  after(async () => {
    await geo.close();
    await tiles.close();
    await stranger.close();
  });

  test("the presets are offered with attribution, terms and zoom", async () => {
    const list = valueOf(await geo.analyst.api.tileSources({ dir: geo.caseDir }));
    const ids = list.filter((s) => s.isPreset).map((s) => s.id);
    assert.deepEqual(ids, ["esri-world-imagery", "eox-s2cloudless", "osm"]);
    for (const s of list) {
      assert.match(s.template, /^https:\/\/[a-z0-9.-]+\/.*\{z\}/);
      assert.ok(s.attribution.length > 5 && s.terms.includes("https://"), s.id);
      assert.equal(s.needsKey, false);
    }
  });

  test("a keyed layer keeps its key in the profile only; the map gets it filled in", async () => {
    const api = geo.analyst.api;
    const template = `${tiles.origin}/tiles/{z}/{x}/{y}.png?access={key}`;
    const saved = valueOf(
      await api.saveTileSource({ dir: geo.caseDir, name: "Local imagery", template, attribution: "test", key: KEY }),
    );
    assert.doesNotMatch(JSON.stringify(saved), new RegExp(KEY));
    const mine = saved.find((s) => !s.isPreset);
    assert.ok(mine);
    assert.deepEqual([mine.needsKey, mine.hasKey, mine.template], [true, true, template]);
    assert.doesNotMatch(JSON.stringify(valueOf(await api.tileSources({ dir: geo.caseDir }))), new RegExp(KEY));

    const profileFiles = path.join(geo.analyst.home, "tile-sources");
    const [file] = (await import("node:fs/promises").then((fs) => fs.readdir(profileFiles))).map((f) =>
      path.join(profileFiles, f),
    );
    assert.ok(file);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.match(await readFile(file, "utf8"), new RegExp(KEY));

    const url = valueOf(await api.tileUrl({ dir: geo.caseDir, id: mine.id })).template;
    assert.equal(url, template.replace("{key}", KEY));
    const tile = await fetch(url.replace("{z}", "8").replace("{x}", "129").replace("{y}", "114"));
    assert.equal(tile.status, 200);
    assert.equal((await sharp(Buffer.from(await tile.arrayBuffer())).metadata()).width, 256);

    // Changing the name keeps the key; "" removes it, and the map is then told one is needed.
    const renamed = valueOf(await api.saveTileSource({ dir: geo.caseDir, id: mine.id, name: "Renamed", template }));
    assert.equal(renamed.find((s) => s.id === mine.id)?.hasKey, true);
    // Moved to another host, the layer does not carry the key there: it must be given again.
    const elsewhere = template.replace(/^http:\/\/127\.0\.0\.1:\d+/, "https://tiles.example.org");
    const moved = valueOf(
      await api.saveTileSource({ dir: geo.caseDir, id: mine.id, name: "Moved", template: elsewhere }),
    );
    assert.equal(moved.find((s) => s.id === mine.id)?.hasKey, false);
    valueOf(await api.saveTileSource({ dir: geo.caseDir, id: mine.id, name: "Renamed", template, key: KEY }));
    valueOf(await api.saveTileSource({ dir: geo.caseDir, id: mine.id, name: "Renamed", template, key: "" }));
    assert.match(
      errorOf(await api.tileUrl({ dir: geo.caseDir, id: mine.id })).message,
      /needs a key and none is saved/,
    );
    valueOf(await api.saveTileSource({ dir: geo.caseDir, id: mine.id, name: "Local imagery", template, key: KEY }));

    // A key pasted into a snapshot's layer template is refused, so it never reaches the case.
    const item = Object.values(await geo.importFiles([await pngFile(geo.root)]))[0];
    const png = (
      await sharp({ create: { width: 40, height: 30, channels: 3, background: "#456" } })
        .png()
        .toBuffer()
    ).toString("base64");
    const leaked = errorOf(
      await api.saveMapSnapshot({ dir: geo.caseDir, sha256: item!, png, params: snapshotParams(url) }),
    );
    assert.match(leaked.message, /holds a saved access key; send the template with \{key\}/);
    valueOf(await api.saveMapSnapshot({ dir: geo.caseDir, sha256: item!, png, params: snapshotParams(template) }));
    const ledger = await geo.ledgerText();
    assert.doesNotMatch(ledger, new RegExp(KEY));
    assert.match(ledger, /access=\{key\}/);

    // A key with a quote and a backslash (escaped in JSON text) is still found, as is its
    // percent-encoding in lower-case hex; a key too short to tell from ordinary text is refused.
    const odd = 'Qx"7\\z/Kp';
    const other = valueOf(await api.saveTileSource({ dir: geo.caseDir, name: "Odd key", template, key: odd }));
    const oddId = other.find((s) => s.name === "Odd key")!.id;
    for (const pasted of [
      template.replace("{key}", odd),
      template.replace("{key}", encodeURIComponent(odd).toLowerCase()),
    ]) {
      const refused = errorOf(
        await api.saveMapSnapshot({ dir: geo.caseDir, sha256: item!, png, params: snapshotParams(pasted) }),
      );
      assert.match(refused.message, /holds a saved access key/);
    }
    valueOf(await api.removeTileSource({ dir: geo.caseDir, id: oddId }));
    const short = errorOf(await api.saveTileSource({ dir: geo.caseDir, name: "Short", template, key: "k1" }));
    assert.match(short.message, /a key must be at least 4 characters/);
  });

  test("templates that are not plain http(s) tile addresses are refused with the reason", async () => {
    const api = geo.analyst.api;
    const cases: [string, RegExp][] = [
      ["javascript:alert(1)//{z}/{x}/{y}", /only http and https tile templates are accepted, not javascript/],
      ["file:///etc/{z}/{x}/{y}", /not file/],
      ["data:image/png;base64,{z}{x}{y}", /not data/],
      ["https://user:pass@tiles.example/{z}/{x}/{y}.png", /must not carry a user name or password/],
      ["https://tiles.example/{z}/{x}.png", /needs \{y\}/],
      ["https://tiles.example/{y}/{x}.png", /needs \{z\}, \{x\} and \{y\}/],
      [
        "https://{key}.tiles.example/{z}/{x}/{y}.png",
        /beginning https:\/\/0\.tiles\.example\/|no placeholder in the host/,
      ],
      [
        "https://tiles.example/{z}/{x}/{y}.png?s={s}",
        /may only use \{z\}, \{x\}, \{y\}, \{-y\} and \{key\}; it has \{s\}/,
      ],
      ["https://tiles.exa mple/{z}/{x}/{y}", /must not hold spaces/],
      ["https://tiles_ex.ample/{z}/{x}/{y}", /host name has characters/],
      ["https://xn--80ak6aa92e.com/{z}/{x}/{y}", /.*/], // punycode is a plain host name: accepted
      ["https://tiles.example/<b>{z}/{x}/{y}", /angle brackets/],
      ["ftp://tiles.example/{z}/{x}/{y}", /not ftp/],
    ];
    for (const [template, reason] of cases) {
      const r = await api.saveTileSource({ dir: geo.caseDir, name: "x", template });
      if (template.includes("xn--")) {
        assert.equal(r.ok, true, "an IDN written as punycode is accepted");
        continue;
      }
      assert.match(errorOf(r).message, reason, template);
    }
    const noSlot = errorOf(
      await api.saveTileSource({ dir: geo.caseDir, name: "x", template: `${tiles.origin}/{z}/{x}/{y}.png`, key: KEY }),
    );
    assert.match(noSlot.message, /template has no \{key\}/);
    assert.match(
      errorOf(await api.removeTileSource({ dir: geo.caseDir, id: "osm" })).message,
      /preset layer cannot be removed/,
    );
    assert.equal(errorOf(await api.removeTileSource({ dir: geo.caseDir, id: "own-nope" })).code, "not-found");
  });

  test("the page's policy allows exactly the configured tile hosts: a real browser loads one and not another", async () => {
    const page = await fetch(`${geo.analyst.host.url}/`);
    const csp = page.headers.get("content-security-policy") ?? "";
    const img = /img-src ([^;]*)/.exec(csp)?.[1] ?? "";
    const connect = /connect-src ([^;]*)/.exec(csp)?.[1] ?? "";
    for (const directive of [img, connect]) {
      for (const origin of [
        "https://server.arcgisonline.com",
        "https://tiles.maps.eox.at",
        "https://tile.openstreetmap.org",
        tiles.origin,
      ]) {
        assert.ok(directive.split(" ").includes(origin), `${origin} in ${directive}`);
      }
      assert.ok(!directive.includes(stranger.origin), "an unconfigured host is not allowed");
    }
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      const tab = await browser.newPage();
      await tab.goto(`${geo.analyst.host.url}/`);
      await tab.waitForFunction(() => "probe" in window);
      const tileUrl = (server: TileServer) => `${server.origin}/tiles/3/4/3.png?access=x`;
      const before = { tiles: tiles.requests.length, stranger: stranger.requests.length };
      const allowed = await tab.evaluate(
        (u) => (window as unknown as { probe(u: string): Promise<string[]> }).probe(u),
        tileUrl(tiles),
      );
      const blocked = await tab.evaluate(
        (u) => (window as unknown as { probe(u: string): Promise<string[]> }).probe(u),
        tileUrl(stranger),
      );
      assert.deepEqual(allowed, ["loaded", "fetched 200"]);
      assert.deepEqual(blocked, ["error", "fetch failed"]);
      assert.equal(
        tiles.requests.length - before.tiles,
        2,
        "the configured host was asked for the image and the fetch",
      );
      assert.equal(stranger.requests.length, before.stranger, "the unconfigured host was never contacted");
      const violations = await tab.evaluate(() => (window as unknown as { blocked: string[] }).blocked);
      assert.ok(
        violations.some((v) => v.startsWith(stranger.origin)),
        violations.join(", "),
      );
    } finally {
      await browser.close();
    }
  });

  test("someone who is not an examiner of the case is offered the presets, and cannot add a layer", async () => {
    const service = testService(new KeyStore(path.join(geo.root, "outsider")));
    const host = await startLoopbackHost({ service });
    try {
      const api = createHttpClient(host.url, host.token).api;
      const list = valueOf(await api.tileSources({ dir: geo.caseDir }));
      assert.deepEqual(
        list.map((s) => s.id),
        ["esri-world-imagery", "eox-s2cloudless", "osm"],
      );
      assert.match(
        valueOf(await api.tileUrl({ dir: geo.caseDir, id: "osm" })).template,
        /^https:\/\/tile\.openstreetmap\.org\//,
      );
      const refused = errorOf(
        await api.saveTileSource({ dir: geo.caseDir, name: "x", template: `${tiles.origin}/{z}/{x}/{y}.png` }),
      );
      assert.equal(refused.code, "no-key");
    } finally {
      await host.close();
    }
  });

  test("removing a layer takes its host out of the next page's policy", async () => {
    const api = geo.analyst.api;
    const own = valueOf(await api.tileSources({ dir: geo.caseDir })).filter((s) => !s.isPreset);
    for (const s of own) valueOf(await api.removeTileSource({ dir: geo.caseDir, id: s.id }));
    assert.deepEqual(
      valueOf(await api.tileSources({ dir: geo.caseDir })).filter((s) => !s.isPreset),
      [],
    );
    const csp = (await fetch(`${geo.analyst.host.url}/`)).headers.get("content-security-policy") ?? "";
    assert.ok(!csp.includes(tiles.origin), csp);
    assert.ok(csp.includes("https://tile.openstreetmap.org"));
  });
});

async function pngFile(root: string): Promise<string> {
  const file = path.join(root, "frame.png");
  await sharp({ create: { width: 64, height: 48, channels: 3, background: "#a86" } })
    .png()
    .toFile(file);
  return file;
}

function snapshotParams(template: string) {
  return {
    layers: [
      {
        kind: "tiles" as const,
        sha256: null,
        provider: "Local imagery",
        sceneId: null,
        date: null,
        template,
        view: "as-is",
        opacity: 1,
        visible: true,
        pair: null,
      },
    ],
    zoom: 12,
    centre: { lat: 18.44, lon: 1.41 },
    bounds84: [1.3, 18.4, 1.5, 18.5] as [number, number, number, number],
    rotationDeg: 0,
    compare: { mode: "single" as const, position: 0.5 },
    markers: [],
    renderedAt: "2026-02-18T10:00:00Z",
    viewport: { width: 40, height: 30 },
  };
}
