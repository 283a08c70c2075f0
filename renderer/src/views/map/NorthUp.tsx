/**
 * Which way is north. The map is drawn in the grid of the scene on top (viewProjection.ts), so
 * with "Grid up" the grid's north is up and true north is off by the grid convergence: up to about
 * 3° at the edge of a UTM zone, more at high latitude. "North up" turns the view so that true
 * north is up at the map's centre (the view's rotation follows the centre as the map moves), and
 * the arrow always shows where true north is. In Web Mercator the two are the same. The view keeps
 * the chosen orientation: OpenLayers' turn gestures (Alt+Shift+drag, a two-finger twist) are off
 * while this control is shown, and a turn from anywhere else is undone, so "Grid up" always means
 * the grid's north is up (SegmentedControl does not fire for the value already chosen, so choosing
 * it again could not undo a stray turn).
 */
import { useEffect, useState } from "react";
import { Box, SegmentedControl, Stack, Text } from "@mantine/core";
import type OlMap from "ol/Map.js";
import type View from "ol/View.js";
import DragRotate from "ol/interaction/DragRotate.js";
import PinchRotate from "ol/interaction/PinchRotate.js";
import { trueNorthAngle } from "./viewProjection.js";

const degrees = (rad: number) => (rad * 180) / Math.PI;

/** How an angle from up reads: "0.0°", "1.4° right of up", "2.1° left of up". */
function fromUp(rad: number): string {
  const d = degrees(rad);
  if (Math.abs(d) < 0.05) return "straight up";
  return `${Math.abs(d).toFixed(1)}° ${d > 0 ? "right" : "left"} of up`;
}

type Orientation = "grid" | "north";

export function NorthUp({ map }: { map: OlMap | null }) {
  const [orientation, setOrientation] = useState<Orientation>("grid");
  // Where true north points on screen (radians clockwise from up) and the view's rotation.
  const [shown, setShown] = useState({ north: 0, rotation: 0 });

  useEffect(() => {
    if (!map) return;
    let view = map.getView();
    const align = () => {
      const want = orientation === "north" ? -trueNorthAngle(view) : 0;
      if (Math.abs(view.getRotation() - want) > 1e-9) view.setRotation(want);
      setShown({ north: trueNorthAngle(view) + view.getRotation(), rotation: view.getRotation() });
    };
    const watch = (v: View) => {
      v.on("change:rotation", align);
      v.on("change:center", align);
    };
    const unwatch = (v: View) => {
      v.un("change:rotation", align);
      v.un("change:center", align);
    };
    // The view is replaced when the map is drawn in another grid.
    const swapped = () => {
      unwatch(view);
      view = map.getView();
      watch(view);
      align();
    };
    const turns = map
      .getInteractions()
      .getArray()
      .filter((i) => i instanceof DragRotate || i instanceof PinchRotate);
    turns.forEach((i) => i.setActive(false));
    watch(view);
    map.on("change:view", swapped);
    align();
    return () => {
      unwatch(view);
      map.un("change:view", swapped);
      turns.forEach((i) => i.setActive(true));
    };
  }, [map, orientation]);

  const rotationDeg = degrees(shown.rotation);
  return (
    <Stack gap={2} align="flex-end" style={{ position: "absolute", right: 8, bottom: 8 }}>
      <Box
        role="img"
        aria-label={`True north: ${fromUp(shown.north)}`}
        data-view-rotation-deg={rotationDeg.toFixed(6)}
        className="north-arrow"
        style={{ width: 34, height: 34, background: "rgba(0,0,0,0.65)", borderRadius: 17 }}
      >
        <svg viewBox="-17 -17 34 34" width={34} height={34} aria-hidden="true">
          <g transform={`rotate(${degrees(shown.north)})`}>
            <path d="M0 -13 L6 6 L0 2 L-6 6 Z" fill="#fff" />
            <text y={14} textAnchor="middle" fontSize={8} fill="#fff">
              N
            </text>
          </g>
        </svg>
      </Box>
      <SegmentedControl
        size="xs"
        aria-label="Map orientation"
        value={orientation}
        onChange={(v) => setOrientation(v as Orientation)}
        data={[
          { value: "grid", label: "Grid up" },
          { value: "north", label: "North up" },
        ]}
      />
      <Text size="xs" c="white" bg="rgba(0,0,0,0.7)" px={4}>
        True north {fromUp(shown.north)}
      </Text>
    </Stack>
  );
}
