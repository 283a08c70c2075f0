/**
 * Tools under the map: the pointer's position (decimal, DMS or MGRS), "Go to" for pasted
 * coordinates, measuring distance and bearing (by drawing, or from and to the cross-hair by
 * keyboard), and, for the case map, selecting a box or polygon of items.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { Button, Group, SegmentedControl, Text, TextInput } from "@mantine/core";
import type OlMap from "ol/Map.js";
import Draw, { createBox } from "ol/interaction/Draw.js";
import VectorLayer from "ol/layer/Vector.js";
import VectorSource from "ol/source/Vector.js";
import Feature from "ol/Feature.js";
import { LineString, type Polygon } from "ol/geom.js";
import { fromLonLat, toLonLat } from "ol/proj.js";
import { formatDecimal, formatDms, formatMgrs, parseCoordinates } from "../../../../shared/geo/coordinates.js";
import type { LatLonValue } from "../../../../shared/ledger/geoEvents.js";
import { measureStyle, selectionStyle } from "./mapFeatures.js";
import { formatDistance, measurePath } from "./measure.js";
import { mercatorZoom, setMercatorZoom } from "./viewProjection.js";

type Notation = "decimal" | "dms" | "mgrs";
type Tool = "none" | "measure" | "box" | "polygon";

const toLatLonIn = (map: OlMap | null, c: number[]): LatLonValue => {
  const [lon = 0, lat = 0] = toLonLat(c, map?.getView().getProjection());
  return { lat, lon: ((((lon + 180) % 360) + 360) % 360) - 180 };
};

export function formatPosition(p: LatLonValue, notation: Notation): string {
  if (notation === "dms") return formatDms(p);
  if (notation === "mgrs") return formatMgrs(p) ?? "outside the MGRS grid (polar)";
  return formatDecimal(p);
}

export function MapTools(props: {
  map: OlMap | null;
  onAnnounce(text: string): void;
  onSelectArea?: (ring: LatLonValue[] | null) => void;
}) {
  const { map, onAnnounce, onSelectArea } = props;
  // In the grid the map is drawn in at the moment (viewProjection.ts).
  const toLatLon = (c: number[]) => toLatLonIn(map, c);
  const [notation, setNotation] = useState<Notation>("decimal");
  const [pointer, setPointer] = useState<LatLonValue | null>(null);
  const [goTo, setGoTo] = useState("");
  const [goToError, setGoToError] = useState<string | null>(null);
  const [tool, setTool] = useState<Tool>("none");
  const [measured, setMeasured] = useState<string | null>(null);
  const [hasSelection, setHasSelection] = useState(false);
  const keyboardStart = useRef<LatLonValue | null>(null);
  const measureSource = useMemo(() => new VectorSource(), []);
  const selectionSource = useMemo(() => new VectorSource(), []);

  useEffect(() => {
    if (!map) return;
    const layers = [
      new VectorLayer({ source: selectionSource, style: selectionStyle, zIndex: 3 }),
      new VectorLayer({ source: measureSource, style: measureStyle, zIndex: 4 }),
    ];
    layers.forEach((l) => map.addLayer(l));
    const move = map.on("pointermove", (e) => setPointer(toLatLonIn(map, e.coordinate)));
    const moveEnd = map.on("moveend", () => {
      const c = map.getView().getCenter();
      if (c && document.activeElement === map.getTargetElement()) setPointer(toLatLonIn(map, c));
    });
    return () => {
      map.un("pointermove", move.listener);
      map.un("moveend", moveEnd.listener);
      layers.forEach((l) => map.removeLayer(l));
    };
  }, [map, measureSource, selectionSource]);

  const showMeasurement = (points: LatLonValue[]) => {
    const m = measurePath(points);
    if (!m) return;
    const text = `Distance ${formatDistance(m.distanceM)}, bearing ${m.bearingDeg.toFixed(1)}° from true north`;
    setMeasured(text);
    onAnnounce(text);
  };

  useEffect(() => {
    if (!map || tool === "none") return;
    const source = tool === "measure" ? measureSource : selectionSource;
    const draw =
      tool === "box"
        ? new Draw({ source, type: "Circle", geometryFunction: createBox() })
        : new Draw({ source, type: tool === "measure" ? "LineString" : "Polygon" });
    draw.on("drawstart", () => source.clear());
    draw.on("drawend", (e) => {
      const geom = e.feature.getGeometry();
      if (tool === "measure" && geom instanceof LineString) {
        showMeasurement(geom.getCoordinates().map(toLatLon));
      } else if (geom) {
        const ring = ((geom as Polygon).getCoordinates()[0] ?? []).slice(0, -1).map(toLatLon);
        onSelectArea?.(ring);
        setHasSelection(true);
      }
      setTool("none");
    });
    map.addInteraction(draw);
    return () => {
      map.removeInteraction(draw);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [map, tool]);

  const centre = () => (map?.getView().getCenter() ? toLatLon(map.getView().getCenter()!) : null);
  const measureFromCrosshair = () => {
    const c = centre();
    if (!c) return;
    if (!keyboardStart.current) {
      keyboardStart.current = c;
      measureSource.clear();
      onAnnounce(`Measuring from ${formatDecimal(c)}: move the map and press again to end`);
      setMeasured(`From ${formatDecimal(c)}: move the map, then press "Measure to the cross-hair"`);
      return;
    }
    const from = keyboardStart.current;
    keyboardStart.current = null;
    measureSource.clear();
    measureSource.addFeature(
      new Feature(new LineString([from, c].map((p) => fromLonLat([p.lon, p.lat], map?.getView().getProjection())))),
    );
    showMeasurement([from, c]);
  };

  const go = () => {
    const r = parseCoordinates(goTo);
    if (!r.ok) return setGoToError(`Cannot go there: ${r.reason}`);
    setGoToError(null);
    const { lat, lon } = r.value.point;
    const view = map?.getView();
    view?.setCenter(fromLonLat([lon, lat], view.getProjection()));
    // Close enough to recognise a place (Web Mercator zoom 14, about 9 m a pixel); a closer view is kept.
    if (view && mercatorZoom(view) < 14) setMercatorZoom(view, 14);
    onAnnounce(`Moved to ${formatDecimal({ lat, lon })}`);
  };

  return (
    <Group gap="sm" wrap="wrap" align="flex-end" className="map-tools">
      <SegmentedControl
        size="xs"
        aria-label="Coordinate format"
        value={notation}
        onChange={(v) => setNotation(v as Notation)}
        data={[
          { label: "Decimal", value: "decimal" },
          { label: "DMS", value: "dms" },
          { label: "MGRS", value: "mgrs" },
        ]}
      />
      <Text size="xs" className="mono" miw={220} aria-label="Pointer position">
        {pointer ? formatPosition(pointer, notation) : "Move over the map to read a position"}
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          go();
        }}
      >
        <Group gap={4} align="flex-end" wrap="nowrap">
          <TextInput
            size="xs"
            label="Go to"
            placeholder="16.5, -3.9 · 16°30'00&quot;N 3°54'00&quot;W · MGRS"
            value={goTo}
            onChange={(e) => setGoTo(e.currentTarget.value)}
            error={goToError}
            w={260}
          />
          <Button size="xs" type="submit" variant="default">
            Go
          </Button>
        </Group>
      </form>
      <Button
        size="xs"
        variant={tool === "measure" ? "filled" : "default"}
        onClick={() => setTool(tool === "measure" ? "none" : "measure")}
      >
        {tool === "measure" ? "Stop measuring" : "Measure by drawing"}
      </Button>
      <Button size="xs" variant="default" onClick={measureFromCrosshair}>
        {keyboardStart.current ? "Measure to the cross-hair" : "Measure from the cross-hair"}
      </Button>
      {measured && (
        <Text size="xs" aria-label="Measurement">
          {measured}
        </Text>
      )}
      {onSelectArea && (
        <Group gap={4}>
          <Button
            size="xs"
            variant={tool === "box" ? "filled" : "default"}
            onClick={() => setTool(tool === "box" ? "none" : "box")}
          >
            Select a box
          </Button>
          <Button
            size="xs"
            variant={tool === "polygon" ? "filled" : "default"}
            onClick={() => setTool(tool === "polygon" ? "none" : "polygon")}
          >
            Select a polygon
          </Button>
          <Button
            size="xs"
            variant="subtle"
            disabled={!hasSelection}
            onClick={() => {
              selectionSource.clear();
              setHasSelection(false);
              onSelectArea(null);
            }}
          >
            Clear area
          </Button>
        </Group>
      )}
    </Group>
  );
}
