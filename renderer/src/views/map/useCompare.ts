/**
 * Compare modes over the map's imagery: single (layers as chosen), swipe (the top layer clipped
 * to the left of a slider, the one beneath showing on the right), opacity (the top layer faded
 * over the one beneath) and overlay (the frame, photo or keyframe, as a semi-transparent image
 * moved, scaled and rotated over the map). The swipe clip follows OpenLayers' layer-swipe
 * examples: a canvas clip for 2D layers, a scissor test for WebGL layers, both in the layer's own
 * canvas so snapshots hold them. The frame is an Icon on a vector layer for the same reason.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import type OlMap from "ol/Map.js";
import Feature from "ol/Feature.js";
import { Point } from "ol/geom.js";
import Collection from "ol/Collection.js";
import VectorLayer from "ol/layer/Vector.js";
import VectorSource from "ol/source/Vector.js";
import Translate from "ol/interaction/Translate.js";
import { getRenderPixel } from "ol/render.js";
import type RenderEvent from "ol/render/Event.js";
import { Icon, Style } from "ol/style.js";
import type { MapLayersState } from "./useMapLayers.js";

export type CompareMode = "single" | "swipe" | "opacity" | "overlay";

export interface FrameOverlay {
  opacity: number;
  /** Ground metres one frame pixel covers at the frame's size. */
  metresPerPixel: number;
  rotationDeg: number;
}

export interface CompareState {
  mode: CompareMode;
  setMode(m: CompareMode): void;
  /** Swipe position or the top layer's opacity, 0–1. */
  position: number;
  setPosition(p: number): void;
  frame: FrameOverlay;
  setFrame(f: FrameOverlay): void;
  /** Moves the frame by screen pixels (keyboard), or to the map's centre. */
  moveFrame(dx: number, dy: number): void;
  centreFrame(): void;
  isDraggingFrame(): boolean;
  params(): { mode: CompareMode; position: number };
}

type Frame = { url: string; width: number; height: number; label: string } | null;

function clipLayer(e: RenderEvent, position: number, phase: "pre" | "post") {
  const ctx = e.context;
  if (!ctx) return;
  if ("scissor" in ctx) {
    const gl = ctx;
    if (phase === "post") return gl.disable(gl.SCISSOR_TEST);
    gl.enable(gl.SCISSOR_TEST);
    gl.scissor(0, 0, Math.round(gl.canvas.width * position), gl.canvas.height);
    return;
  }
  const c = ctx as CanvasRenderingContext2D;
  if (phase === "post") return c.restore();
  const [w = c.canvas.width, h = c.canvas.height] = e.frameState?.size ?? [];
  const x = w * position;
  const corners = [
    [0, 0],
    [0, h],
    [x, h],
    [x, 0],
  ].map((p) => getRenderPixel(e, p));
  c.save();
  c.beginPath();
  corners.forEach(([px = 0, py = 0], i) => (i === 0 ? c.moveTo(px, py) : c.lineTo(px, py)));
  c.closePath();
  c.clip();
}

export function useCompare(map: OlMap | null, layers: MapLayersState, frame: Frame): CompareState {
  const [mode, setMode] = useState<CompareMode>("single");
  const [position, setPosition] = useState(0.5);
  const [overlay, setOverlay] = useState<FrameOverlay>({ opacity: 0.6, metresPerPixel: 1, rotationDeg: 0 });
  const dragging = useRef(false);
  const frameFeature = useMemo(() => new Feature({ geometry: new Point([0, 0]) }), []);
  const frameLayer = useMemo(
    () => new VectorLayer({ source: new VectorSource({ features: [frameFeature] }), visible: false, zIndex: 5 }),
    [frameFeature],
  );

  // The two layers compared: the top visible one and the one beneath it.
  const visible = layers.choices.filter((c) => c.visible);
  const top = visible.at(-1)?.key ?? null;
  const topLayer = top ? layers.layerFor(top) : null;

  // Swipe: clip the top layer.
  useEffect(() => {
    if (!map || !topLayer || mode !== "swipe") return;
    const pre = (e: RenderEvent) => clipLayer(e, position, "pre");
    const post = (e: RenderEvent) => clipLayer(e, position, "post");
    topLayer.on("prerender" as never, pre as never);
    topLayer.on("postrender" as never, post as never);
    map.render();
    return () => {
      topLayer.un("prerender" as never, pre as never);
      topLayer.un("postrender" as never, post as never);
      map.render();
    };
  }, [map, topLayer, mode, position]);

  // Opacity: fade the top layer (restored to its chosen opacity in other modes).
  useEffect(() => {
    if (!topLayer || mode !== "opacity") return;
    const before = topLayer.getOpacity();
    topLayer.set("compareOpacity", position);
    topLayer.setOpacity(position);
    return () => {
      topLayer.unset("compareOpacity");
      topLayer.setOpacity(before);
    };
  }, [topLayer, mode, position]);

  // Overlay: the frame as an Icon sized in ground metres, so it scales with the map.
  useEffect(() => {
    if (!map) return;
    map.addLayer(frameLayer);
    const translate = new Translate({ layers: [frameLayer], features: new Collection([frameFeature]) });
    translate.on("translatestart", () => (dragging.current = true));
    translate.on("translateend", () => window.setTimeout(() => (dragging.current = false), 0));
    map.addInteraction(translate);
    return () => {
      map.removeInteraction(translate);
      map.removeLayer(frameLayer);
    };
  }, [map, frameLayer, frameFeature]);

  // The picture's own width, which may differ from the frame's (a proxy or a scaled keyframe).
  const [naturalWidth, setNaturalWidth] = useState<number | null>(null);
  useEffect(() => {
    setNaturalWidth(null);
    if (!frame) return;
    const img = new Image();
    img.onload = () => setNaturalWidth(img.naturalWidth || frame.width);
    img.src = frame.url;
  }, [frame]);

  const hasPlacedFrame = useRef(false);
  useEffect(() => {
    frameLayer.setVisible(mode === "overlay" && frame !== null);
    if (!frame || mode !== "overlay" || !naturalWidth) return;
    if (!hasPlacedFrame.current && map) {
      hasPlacedFrame.current = true;
      const view = map.getView();
      frameFeature.getGeometry()!.setCoordinates(view.getCenter() ?? [0, 0]);
      // Start with the frame covering about half the map's width.
      const widthPx = (map.getSize()?.[0] ?? 800) / 2;
      setOverlay((o) => ({ ...o, metresPerPixel: ((view.getResolution() ?? 1) * widthPx) / frame.width }));
    }
    frameFeature.setStyle(
      (_f, resolution) =>
        new Style({
          image: new Icon({
            src: frame.url,
            opacity: overlay.opacity,
            scale: (overlay.metresPerPixel * frame.width) / naturalWidth / resolution,
            rotation: (overlay.rotationDeg * Math.PI) / 180,
            rotateWithView: true,
          }),
        }),
    );
  }, [map, mode, frame, overlay, frameFeature, frameLayer, naturalWidth]);

  return {
    mode,
    setMode,
    position,
    setPosition,
    frame: overlay,
    setFrame: setOverlay,
    moveFrame(dx, dy) {
      const res = map?.getView().getResolution() ?? 1;
      const [x = 0, y = 0] = frameFeature.getGeometry()!.getCoordinates();
      frameFeature.getGeometry()!.setCoordinates([x + dx * res, y - dy * res]);
    },
    centreFrame() {
      const c = map?.getView().getCenter();
      if (c) frameFeature.getGeometry()!.setCoordinates(c);
    },
    isDraggingFrame: () => dragging.current,
    params: () => ({ mode, position: mode === "overlay" ? overlay.opacity : mode === "single" ? 1 : position }),
  };
}
