/**
 * Zoom and pan for the image viewer: wheel or buttons to zoom about the pointer,
 * drag to pan, "Fit" to reset.
 *
 * Written here rather than taken from react-zoom-pan-pinch because that package
 * injects an unsigned <style> element at load, which the workbench's
 * Content-Security-Policy (styles by nonce only) rightly blocks. This needs only
 * a CSS transform, which the policy allows.
 */
import { ActionIcon, Group } from "@mantine/core";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { isInField } from "../keyboard/inField.js";

const MIN = 0.2;
const MAX = 16;

export function ZoomPan({ children }: { children: ReactNode }) {
  const [view, setView] = useState({ scale: 1, x: 0, y: 0 });
  const drag = useRef<{ x: number; y: number; startX: number; startY: number } | null>(null);
  const box = useRef<HTMLDivElement>(null);

  const zoomAt = (factor: number, clientX?: number, clientY?: number) =>
    setView((v) => {
      const scale = Math.min(MAX, Math.max(MIN, v.scale * factor));
      const rect = box.current?.getBoundingClientRect();
      // Keep the point under the pointer (or the centre) where it is.
      const px = rect ? (clientX ?? rect.left + rect.width / 2) - rect.left - rect.width / 2 : 0;
      const py = rect ? (clientY ?? rect.top + rect.height / 2) - rect.top - rect.height / 2 : 0;
      const k = scale / v.scale;
      return { scale, x: px - (px - v.x) * k, y: py - (py - v.y) * k };
    });

  // + / − / 0 zoom in, out and back to fit, unless the examiner is typing.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isInField(e.target)) return;
      if (e.key === "+" || e.key === "=") zoomAt(1.5);
      else if (e.key === "-") zoomAt(1 / 1.5);
      else if (e.key === "0") setView({ scale: 1, x: 0, y: 0 });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  return (
    <div
      ref={box}
      aria-label="Image viewer"
      style={{ position: "absolute", inset: 0, overflow: "hidden", cursor: drag.current ? "grabbing" : "grab" }}
      onWheel={(e) => zoomAt(e.deltaY < 0 ? 1.15 : 1 / 1.15, e.clientX, e.clientY)}
      onPointerDown={(e) => {
        (e.target as HTMLElement).setPointerCapture?.(e.pointerId);
        drag.current = { x: view.x, y: view.y, startX: e.clientX, startY: e.clientY };
      }}
      onPointerMove={(e) => {
        const d = drag.current;
        if (d) setView((v) => ({ ...v, x: d.x + e.clientX - d.startX, y: d.y + e.clientY - d.startY }));
      }}
      onPointerUp={() => (drag.current = null)}
      onPointerCancel={() => (drag.current = null)}
    >
      <Group gap={4} style={{ position: "absolute", zIndex: 2, top: 8, right: 8 }}>
        <ActionIcon aria-label="Zoom in" onClick={() => zoomAt(1.5)} variant="default">
          +
        </ActionIcon>
        <ActionIcon aria-label="Zoom out" onClick={() => zoomAt(1 / 1.5)} variant="default">
          −
        </ActionIcon>
        <ActionIcon aria-label="Fit" onClick={() => setView({ scale: 1, x: 0, y: 0 })} variant="default">
          ⤢
        </ActionIcon>
      </Group>
      <div
        style={{
          width: "100%",
          height: "100%",
          display: "flex",
          alignItems: "center",
          justifyContent: "center",
          transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})`,
          transformOrigin: "center",
        }}
      >
        {children}
      </div>
    </div>
  );
}
