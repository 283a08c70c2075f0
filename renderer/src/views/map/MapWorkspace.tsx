/**
 * The map the geolocation and chronolocation forms and the case map embed (props and handle in
 * mapTypes.ts). Owns the OpenLayers map: imagery (useMapLayers), markers, area, sun arrows and
 * measured lines; picking by click or keyboard (arrow keys pan, Enter picks the centre under the
 * cross-hair; every pick is announced); compare modes; and snapshots of exactly what is shown.
 */
import "ol/ol.css";
import { forwardRef, useEffect, useId, useImperativeHandle, useMemo, useRef, useState } from "react";
import { Alert, Box, Button, Group, Stack, Text } from "@mantine/core";
import { useElementSize } from "@mantine/hooks";
import OlMap from "ol/Map.js";
import { disposedError } from "ol/DataTile.js";
import View from "ol/View.js";
import LayerGroup from "ol/layer/Group.js";
import VectorLayer from "ol/layer/Vector.js";
import VectorSource from "ol/source/Vector.js";
import { defaults as defaultControls, ScaleLine } from "ol/control.js";
import { boundingExtent } from "ol/extent.js";
import { fromLonLat, toLonLat, transformExtent, type ProjectionLike } from "ol/proj.js";
import type { LatLonValue } from "../../../../shared/ledger/geoEvents.js";
import { formatDecimal } from "../../../../shared/geo/coordinates.js";
import type { MapWorkspaceHandle, MapWorkspaceProps } from "./mapTypes.js";
import { useConnection } from "../../connectionContext.js";
import { registerProjections } from "./projections.js";
import { areaFeatures, markerFeatures, sunFeatures } from "./mapFeatures.js";
import { useMapLayers } from "./useMapLayers.js";
import { setMercatorZoom, setViewProjection, WEB_MERCATOR } from "./viewProjection.js";
import { canvasToPng, composeMapCanvas, viewParams } from "./mapSnapshot.js";
import { LayerPanel } from "./LayerPanel.js";
import { CompareBar, useCompare } from "./CompareBar.js";
import { MapTools } from "./MapTools.js";
import { NorthUp } from "./NorthUp.js";

registerProjections();

// OpenLayers aborts the reads of scene tiles it drops while the view moves with one shared
// `disposedError`; geotiff's block reads then reject with it where nothing awaits them. That is
// not a failure, so it is not reported as one.
window.addEventListener("unhandledrejection", (e) => {
  if (e.reason === disposedError) e.preventDefault();
});

const toLatLon = (coordinate: number[], projection: ProjectionLike): LatLonValue => {
  const [lon = 0, lat = 0] = toLonLat(coordinate, projection);
  return { lat: Math.max(-90, Math.min(90, lat)), lon: ((((lon + 180) % 360) + 360) % 360) - 180 };
};

export const MapWorkspace = forwardRef<MapWorkspaceHandle, MapWorkspaceProps>(function MapWorkspace(props, ref) {
  const connection = useConnection();
  const targetRef = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<OlMap | null>(null);
  const imagery = useMemo(() => new LayerGroup(), []);
  const sources = useMemo(
    () => ({ markers: new VectorSource(), area: new VectorSource(), sun: new VectorSource() }),
    [],
  );
  const layers = useMapLayers(connection, props.dir, map, imagery);
  const compare = useCompare(map, layers, props.frame ?? null);
  const [announcement, setAnnouncement] = useState("");
  const helpId = useId();
  // The layer list sits beside the map when there is room for both, and is opened on request otherwise.
  const { ref: rowRef, width: rowWidth } = useElementSize();
  const [panelChoice, setPanelOpen] = useState<boolean | null>(null);
  const isPanelOpen = panelChoice ?? (rowWidth === 0 || rowWidth >= 960);
  const latest = useRef(props);
  latest.current = props;

  // The map itself, once.
  useEffect(() => {
    const target = targetRef.current!;
    const m = new OlMap({
      target,
      layers: [
        imagery,
        new VectorLayer({ source: sources.area }),
        new VectorLayer({ source: sources.sun }),
        new VectorLayer({ source: sources.markers, declutter: false }),
      ],
      // Rotation unconstrained: OpenLayers otherwise snaps turns under 5° back to 0, and "North up" turns by the convergence.
      view: new View({ center: fromLonLat([0, 15]), zoom: 3, maxZoom: 22, constrainRotation: false }),
      // Attribution is shown by the workspace as plain text: OpenLayers' control renders it as HTML.
      // North up or grid up, and where true north is, are shown by NorthUp instead of OpenLayers' rotate control.
      controls: defaultControls({ attribution: false, rotate: false }).extend([new ScaleLine()]),
      keyboardEventTarget: target,
    });
    // Each finished load (every tile the view needs loaded and drawn) is marked on the page's
    // performance timeline with the frames drawn on the way and the tiles in view: DevTools and
    // the map benchmark read it. Only the latest of each is kept, so a long session does not
    // fill the timeline.
    let frames = 0;
    let tiles = 0;
    const mark = (name: string, detail?: object) => {
      performance.clearMarks(name);
      performance.mark(name, { detail });
    };
    m.on("loadstart", () => {
      frames = 0;
      mark("sightline:map-loadstart");
    });
    m.on("postrender", (e) => {
      frames++;
      tiles = Object.values(e.frameState?.wantedTiles ?? {}).reduce((n, t) => n + Object.keys(t).length, 0);
    });
    m.on("loadend", () => mark("sightline:map-loadend", { frames, tiles }));
    setMap(m);
    return () => {
      m.setTarget(undefined);
      m.dispose();
    };
  }, [imagery, sources]);

  // Drawn in the grid of the scene on top, if one is (viewProjection.ts); before the features
  // below are drawn again in it.
  const projection =
    [...layers.choices]
      .reverse()
      .filter((c) => c.visible)
      .map((c) => layers.options.find((o) => o.key === c.key)?.projection)
      .find((p) => p) ?? WEB_MERCATOR;
  useEffect(() => {
    if (map) setViewProjection(map, projection);
  }, [map, projection]);

  useEffect(() => {
    sources.markers.clear();
    sources.markers.addFeatures(markerFeatures(props.markers ?? [], projection));
  }, [sources, props.markers, projection]);
  useEffect(() => {
    sources.area.clear();
    sources.area.addFeatures(areaFeatures(props.area, projection));
  }, [sources, props.area, projection]);
  useEffect(() => {
    sources.sun.clear();
    sources.sun.addFeatures(sunFeatures(props.sun, projection));
  }, [sources, props.sun, projection]);

  // Open on what there is to see: the markers, else the first reference's footprint.
  const hasFitted = useRef(false);
  useEffect(() => {
    if (!map || hasFitted.current || !layers.isLoaded) return;
    hasFitted.current = true;
    const drawnIn = map.getView().getProjection();
    const pts = (props.markers ?? []).map((m) => fromLonLat([m.lon, m.lat], drawnIn));
    const first = layers.references[0]?.marked.fileTags.bounds84;
    const extent = pts.length > 0 ? boundingExtent(pts) : first ? transformExtent(first, "EPSG:4326", drawnIn) : null;
    if (extent) map.getView().fit(extent, { padding: [40, 40, 40, 40], maxZoom: 15 });
  }, [map, layers.isLoaded, layers.references, props.markers]);

  const pick = (p: LatLonValue, how: string) => {
    const { pickMode, onPick, onAreaChange, area } = latest.current;
    if (pickMode === "point") {
      onPick?.(p);
      setAnnouncement(`Picked ${formatDecimal(p)} ${how}`);
    } else if (pickMode === "area") {
      const ring = [...(area ?? []), p];
      onAreaChange?.(ring);
      onPick?.(p);
      setAnnouncement(`Added corner ${ring.length} of the area at ${formatDecimal(p)} ${how}`);
    }
  };

  useEffect(() => {
    if (!map) return;
    const key = map.on("singleclick", (e) => {
      if (compare.isDraggingFrame()) return;
      pick(toLatLon(e.coordinate, map.getView().getProjection()), "by click");
    });
    return () => map.un("singleclick", key.listener);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [map]);

  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== "Enter" || !map || e.target !== targetRef.current) return;
    const centre = map.getView().getCenter();
    if (!centre || !latest.current.pickMode) return;
    e.preventDefault();
    pick(toLatLon(centre, map.getView().getProjection()), "at the cross-hair");
  };

  useImperativeHandle(
    ref,
    (): MapWorkspaceHandle => ({
      async snapshot() {
        if (!map) throw new Error("the map is not ready");
        const shown = layers.choices.flatMap((c) => {
          const o = layers.options.find((x) => x.key === c.key);
          if (!o) return [];
          const layer = { ...o.ref, view: o.view, opacity: c.opacity, visible: c.visible, pair: o.pair };
          return [o.resampling ? { ...layer, resampling: o.resampling } : layer];
        });
        if (shown.length === 0) throw new Error("there is no imagery on the map to keep");
        const png = await canvasToPng(await composeMapCanvas(map));
        const markers = (latest.current.markers ?? []).slice(0, 200).map((m) => ({
          label: m.label.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, " ").slice(0, 200),
          lat: m.lat,
          lon: m.lon,
        }));
        return {
          png,
          params: {
            layers: shown.slice(-20),
            ...viewParams(map),
            compare: compare.params(),
            markers,
            renderedAt: new Date().toISOString(),
          },
        };
      },
      activeLayer() {
        const top = [...layers.choices].reverse().find((c) => c.visible);
        return (top && layers.options.find((o) => o.key === top.key)?.ref) ?? null;
      },
      centreOn(p, zoom) {
        const view = map?.getView();
        view?.setCenter(fromLonLat([p.lon, p.lat], view.getProjection()));
        if (view && zoom !== undefined) setMercatorZoom(view, zoom);
      },
    }),
    [map, layers, compare],
  );

  const shownOptions = layers.choices.flatMap((c) => layers.options.find((o) => o.key === c.key && c.visible) ?? []);
  // A basemap's "no tiles here" is a notice (dark blue, white text at 6:1), not a failure (red).
  const problems = Object.entries(layers.problems);
  const hasImagery = layers.choices.length > 0;
  return (
    <Stack gap={6} className="map-workspace">
      <Group gap="xs" align="flex-start" wrap="nowrap" className="map-row" ref={rowRef}>
        <Box className="map-frame">
          <div
            ref={targetRef}
            className={`map-target${props.pickMode ? " is-picking" : ""}`}
            tabIndex={0}
            role="application"
            aria-label={props.label}
            aria-roledescription="map"
            aria-describedby={helpId}
            onKeyDown={onKeyDown}
          />
          <div className="map-crosshair" aria-hidden="true" />
          <NorthUp map={map} />
          <Button
            className="layers-toggle"
            size="compact-xs"
            variant="default"
            aria-expanded={isPanelOpen}
            onClick={() => setPanelOpen(!isPanelOpen)}
          >
            {isPanelOpen ? "Hide layers" : "Layers"}
          </Button>
          {compare.mode === "swipe" && (
            <div className="swipe-line" aria-hidden="true" style={{ left: `${compare.position * 100}%` }} />
          )}
          {layers.isLoaded && !hasImagery && (
            <Alert className="map-message" color="yellow" variant="filled" title="No basemap">
              No basemap: add an offline basemap or a tile layer.
            </Alert>
          )}
          {problems.length > 0 && (
            <Stack className="map-problems" gap={4} role="status">
              {problems.map(([key, p]) => (
                <Alert key={key} color={key.endsWith(":coverage") ? "blue.9" : "red"} variant="filled" p="xs">
                  {p}
                </Alert>
              ))}
            </Stack>
          )}
        </Box>
        {isPanelOpen && <LayerPanel dir={props.dir} layers={layers} />}
      </Group>
      <CompareBar compare={compare} layers={layers} frame={props.frame ?? null} />
      <MapTools map={map} onAnnounce={setAnnouncement} onSelectArea={props.onSelectArea} />
      <Text size="xs" c="dimmed" id={helpId}>
        Arrow keys move the map, + and − zoom{props.pickMode ? ", Enter picks the point under the cross-hair" : ""}.
      </Text>
      {shownOptions.length > 0 && (
        <Text size="xs" c="dimmed" className="map-attribution">
          {shownOptions.map((o) => [o.attribution, o.terms].filter(Boolean).join(" — ")).join(" · ")}
        </Text>
      )}
      <div aria-live="polite" className="visually-hidden-live">
        {announcement}
      </div>
    </Stack>
  );
});
