/**
 * The imagery a map shows: what the case offers (tile layers, basemaps, scenes), which of them
 * are on the map in which order, each one's opacity and visibility, and one line for any layer
 * that fails, is slow, or cannot be read. Owns the OpenLayers layers it builds and disposes them.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type OlMap from "ol/Map.js";
import LayerGroup from "ol/layer/Group.js";
import type BaseLayer from "ol/layer/Base.js";
import type { Connection } from "../../connection.js";
import type { ReferenceInfo, TileSourceInfo } from "../../../../shared/api/geoContract.js";
import { buildBasemapLayer } from "./basemapLayer.js";
import { basemapOption, buildTileLayer, tileOption, type BuiltLayer, type LayerOption } from "./layerCatalog.js";
import { buildSceneLayer, sceneOptions } from "./sceneLayers.js";
import { healthMessage, watchTiles, type TileHealth } from "./tileHealth.js";

export interface LayerChoice {
  key: string;
  opacity: number;
  visible: boolean;
}

export interface MapLayersState {
  options: LayerOption[];
  references: ReferenceInfo[];
  tileSources: TileSourceInfo[];
  /** Bottom first; the last visible one is the layer on top. */
  choices: LayerChoice[];
  setChoices(next: LayerChoice[]): void;
  /** One line per layer in trouble, by key. */
  problems: Record<string, string>;
  /** The built OpenLayers layer of a chosen key, once built. */
  layerFor(key: string): BaseLayer | null;
  isLoaded: boolean;
  reload(): void;
}

/** The layer a case opens with: an offline basemap if one is marked (works with no network), else the first usable preset. */
export function defaultChoices(options: LayerOption[]): LayerChoice[] {
  const first =
    options.find((o) => o.group === "Offline basemaps" && !o.unavailable) ??
    options.find((o) => o.group === "Online tiles" && !o.unavailable);
  return first ? [{ key: first.key, opacity: 1, visible: true }] : [];
}

export function useMapLayers(
  connection: Connection,
  dir: string,
  map: OlMap | null,
  imagery: LayerGroup,
): MapLayersState {
  const [tileSources, setTileSources] = useState<TileSourceInfo[]>([]);
  const [references, setReferences] = useState<ReferenceInfo[]>([]);
  const [isLoaded, setLoaded] = useState(false);
  const [choices, setChoicesState] = useState<LayerChoice[] | null>(null);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [generation, setGeneration] = useState(0);
  const [, setBuiltCount] = useState(0);
  const built = useRef(new Map<string, BuiltLayer>());
  const building = useRef(new Set<string>());

  const setProblem = useCallback((key: string, message: string | null) => {
    setProblems((p) => {
      if ((p[key] ?? null) === message) return p;
      const next = { ...p };
      if (message === null) delete next[key];
      else next[key] = message;
      return next;
    });
  }, []);

  // What the case offers; again whenever the ledger grows (a reference marked) or on request.
  useEffect(() => {
    let alive = true;
    const load = async () => {
      const [t, r] = await Promise.all([
        connection.client.api.tileSources({ dir }),
        connection.client.api.listReferences({ dir }),
      ]);
      if (!alive) return;
      setTileSources(t.ok ? t.value : []);
      setReferences(r.ok ? r.value : []);
      setProblem(
        "catalog",
        !t.ok
          ? `Tile layers could not be listed: ${t.error.message}`
          : !r.ok
            ? `Reference imagery could not be listed: ${r.error.message}`
            : null,
      );
      setLoaded(true);
    };
    void load();
    const stop = connection.client.onEvent((e) => {
      if (e.type === "ledger.appended" && e.dir === dir) void load();
    });
    return () => {
      alive = false;
      stop();
    };
  }, [connection, dir, generation, setProblem]);

  const options: LayerOption[] = [
    ...references.flatMap((r) => basemapOption(r) ?? []),
    ...sceneOptions(references),
    ...tileSources.map(tileOption),
  ];
  const effective = choices ?? (isLoaded ? defaultChoices(options) : []);

  // Build what is chosen and not yet built; one line for what cannot be.
  const keys = effective.map((c) => c.key).join("|");
  useEffect(() => {
    for (const { key } of effective) {
      if (built.current.has(key) || building.current.has(key)) continue;
      const option = options.find((o) => o.key === key);
      if (!option) continue;
      building.current.add(key);
      const build = async (): Promise<BuiltLayer> => {
        if (key.startsWith("tiles:")) {
          const t = tileSources.find((s) => `tiles:${s.id}` === key)!;
          return buildTileLayer(connection, dir, t.id, t.maxZoom);
        }
        if (key.startsWith("basemap:")) {
          return buildBasemapLayer(
            connection,
            dir,
            references.find((r) => `basemap:${r.sha256}` === key)!,
            (line) => setProblem(`${key}:coverage`, line),
          );
        }
        return buildSceneLayer(connection, dir, option, references, (message) => setProblem(key, message));
      };
      void build().then(
        (b) => {
          building.current.delete(key);
          built.current.set(key, b);
          if (b.tileSource) {
            b.stopWatching = watchTiles(b.tileSource, (h: TileHealth) =>
              setProblem(key, healthMessage(option.host, h)),
            );
          }
          setBuiltCount((n) => n + 1);
        },
        (e: unknown) => {
          building.current.delete(key);
          setProblem(key, `${option.label} cannot be shown: ${e instanceof Error ? e.message : String(e)}`);
        },
      );
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [keys, isLoaded]);

  // Put the chosen layers on the map in order, with their opacity and visibility.
  const layers = effective.flatMap((c) => {
    const b = built.current.get(c.key);
    if (!b) return [];
    // Compare's opacity mode fades the top layer over its chosen opacity (useCompare sets it).
    b.layer.setOpacity((b.layer.get("compareOpacity") as number | undefined) ?? c.opacity);
    b.layer.setVisible(c.visible);
    return [b.layer];
  });
  useEffect(() => {
    if (!map) return;
    const current = imagery.getLayers();
    const same = current.getLength() === layers.length && layers.every((l, i) => current.item(i) === l);
    if (!same) {
      current.clear();
      current.extend(layers);
    }
  });

  // Dispose everything when the map goes.
  useEffect(
    () => () => {
      for (const b of built.current.values()) {
        b.stopWatching?.();
        b.layer.dispose();
      }
      built.current.clear();
    },
    [],
  );

  return {
    options,
    references,
    tileSources,
    choices: effective,
    setChoices: (next) => setChoicesState(next),
    problems,
    layerFor: (key) => built.current.get(key)?.layer ?? null,
    isLoaded,
    reload: () => setGeneration((g) => g + 1),
  };
}
