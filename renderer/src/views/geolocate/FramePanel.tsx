/**
 * The frame a verifier reads clues from: the photo, or a keyframe of a video chosen from its
 * keyframe derivatives. Zoom and pan as in the item view; a click picks a point in the image's own
 * pixels, and so does the keyboard: the arrow keys move a cross-hair (Shift for bigger steps),
 * Enter picks, Escape gives up. Numbered markers and measured lines are drawn over the image.
 * Veiled, as the item was when the workspace opened (or since), the frame is its veiled copy (of
 * the photo's preview, or of the keyframe itself) and the photo is not fetched; points are picked
 * once it is revealed.
 */
import { Box, Button, Group, ScrollArea, Stack, Text } from "@mantine/core";
import { useEffect, useRef, useState } from "react";
import type { ItemDetail } from "../../../../shared/api/contract.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { ZoomPan } from "../../components/ZoomPan.js";
import type { Connection } from "../../connection.js";
import { KeyframeButton, VeiledPicture, videoTimeLabel } from "../item/MediaPanel.js";
import { useFileUrl } from "../item/useFileUrl.js";

/** The image points are taken on: the original photo, or a keyframe derivative of a video. */
export interface FrameChoice {
  image: "original" | string;
  /** Case path to load it from. */
  path: string;
  timestampS: number | null;
  label: string;
}

export interface FramePixel {
  x: number;
  y: number;
}

export interface FrameMark extends FramePixel {
  id: string;
  label: string;
  colour: string;
}

export interface FrameLine {
  id: string;
  from: FramePixel;
  to: FramePixel;
  colour: string;
}

const markStyle: React.CSSProperties = {
  position: "absolute",
  transform: "translate(-50%, -50%)",
  minWidth: 22,
  height: 22,
  borderRadius: 11,
  border: "2px solid white",
  color: "white",
  font: "600 12px/18px system-ui, sans-serif",
  textAlign: "center",
  padding: "0 4px",
  boxShadow: "0 0 3px black",
  pointerEvents: "none",
};
const crossStyle: React.CSSProperties = {
  position: "absolute",
  width: 31,
  height: 31,
  transform: "translate(-50%, -50%)",
  pointerEvents: "none",
  background:
    "linear-gradient(#ffeb3b, #ffeb3b) center / 2px 100% no-repeat, linear-gradient(#ffeb3b, #ffeb3b) center / 100% 2px no-repeat",
  filter: "drop-shadow(0 0 1px black)",
};
const bannerStyle: React.CSSProperties = {
  position: "absolute",
  left: 8,
  bottom: 8,
  zIndex: 3,
  padding: "4px 8px",
  borderRadius: 4,
  background: "rgba(0, 0, 0, 0.75)",
};

/** The frames an item offers: the photo itself, or each keyframe of a video in time order. */
export function frameChoices(item: ItemDetail): FrameChoice[] {
  if (item.kind === "image") return [{ image: "original", path: item.objectPath, timestampS: null, label: "photo" }];
  return item.derivatives
    .filter((d) => d.role === "keyframe")
    .sort((a, b) => (a.timestampS ?? 0) - (b.timestampS ?? 0))
    .map((d) => ({
      image: d.path,
      path: d.path,
      timestampS: d.timestampS ?? 0,
      label: `keyframe at ${videoTimeLabel(d.timestampS ?? 0)}`,
    }));
}

export function FramePanel({
  connection,
  dir,
  item,
  frame,
  onFrameChange,
  marks,
  lines,
  pickLabel,
  onPick,
  onCancelPick,
  onSize,
  isRevealed,
}: {
  connection: Connection;
  dir: string;
  item: ItemDetail;
  frame: FrameChoice | null;
  isRevealed: boolean;
  onFrameChange: (f: FrameChoice) => void;
  marks: FrameMark[];
  lines: FrameLine[];
  /** What the next pick is for ("clue 2 on the frame"); null when no pick is wanted. */
  pickLabel: string | null;
  onPick: (p: FramePixel) => void;
  onCancelPick: () => void;
  /** The frame's size and address once loaded; null when it is no longer shown (veiled, or another frame coming). */
  onSize: (size: { width: number; height: number; url: string } | null) => void;
}) {
  const [url, failure] = useFileUrl(connection, dir, isRevealed ? (frame?.path ?? null) : null);
  const [natural, setNatural] = useState<{ width: number; height: number } | null>(null);
  const [box, setBox] = useState({ width: 0, height: 0 });
  const [cross, setCross] = useState<FramePixel | null>(null);
  const area = useRef<HTMLDivElement>(null);
  const down = useRef<{ x: number; y: number } | null>(null);

  useEffect(() => {
    const el = area.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setBox({ width: el.clientWidth, height: el.clientHeight }));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  // Veiled, the frame has no size to pick points in until it is shown again, and the map's overlay
  // has no picture (the address it had is revoked with the frame's).
  useEffect(() => setNatural(null), [frame?.path, isRevealed]);
  useEffect(() => {
    if (!url) onSize(null);
  }, [url, onSize]);

  const fit = natural && box.width > 0 ? Math.min(box.width / natural.width, box.height / natural.height) : 0;
  const shown = natural ? { width: natural.width * fit, height: natural.height * fit } : null;
  const pct = (p: FramePixel) =>
    natural ? { left: `${(p.x / natural.width) * 100}%`, top: `${(p.y / natural.height) * 100}%` } : {};

  const onKey = (e: React.KeyboardEvent) => {
    // A pick is given up with Escape even while the frame is veiled or loading.
    if (e.key === "Escape" && pickLabel) {
      e.preventDefault();
      onCancelPick();
      return;
    }
    if (!natural) return;
    const step = Math.max(1, Math.round(natural.width / 100)) * (e.shiftKey ? 10 : 1);
    const at = cross ?? { x: Math.round(natural.width / 2), y: Math.round(natural.height / 2) };
    const clamp = (p: FramePixel) => ({
      x: Math.max(0, Math.min(natural.width - 1, p.x)),
      y: Math.max(0, Math.min(natural.height - 1, p.y)),
    });
    const moves: Record<string, FramePixel> = {
      ArrowLeft: { x: at.x - step, y: at.y },
      ArrowRight: { x: at.x + step, y: at.y },
      ArrowUp: { x: at.x, y: at.y - step },
      ArrowDown: { x: at.x, y: at.y + step },
    };
    if (moves[e.key]) {
      e.preventDefault();
      setCross(clamp(moves[e.key]!));
    } else if (e.key === "Enter" && pickLabel) {
      e.preventDefault();
      onPick(at);
    }
  };

  const choices = frameChoices(item);
  return (
    <Stack gap={0} h="100%" style={{ background: "#0b0b0c", minWidth: 0 }}>
      <Box
        ref={area}
        style={{ flex: 1, minHeight: 0, position: "relative", overflow: "hidden" }}
        tabIndex={0}
        role="application"
        aria-label={`Frame: ${frame ? inertText(frame.label) : "none"}. Arrow keys move the cross-hair, Enter picks a point`}
        aria-roledescription="frame"
        onKeyDown={onKey}
      >
        {failure && (
          <Text c="orange" size="sm" p="md" role="alert">
            This frame cannot be shown: {inertText(failure)}.
          </Text>
        )}
        {!frame && (
          <Text c="dimmed" ta="center" mt="xl">
            This item has no frame to work on (a video needs its keyframes made first).
          </Text>
        )}
        {frame && !isRevealed && (
          <VeiledPicture
            connection={connection}
            dir={dir}
            path={
              frame.image === "original"
                ? (item.derivatives.find((d) => d.role === "thumbnail")?.path ?? null)
                : frame.path
            }
            alt={`${inertText(item.name)}, ${inertText(frame.label)}`}
          />
        )}
        {url && isRevealed && (
          <ZoomPan>
            <div
              style={{ position: "relative", width: shown?.width ?? "auto", height: shown?.height ?? "auto" }}
              onPointerDown={(e) => (down.current = { x: e.clientX, y: e.clientY })}
              onClick={(e) => {
                const start = down.current;
                if (!pickLabel || !natural || (start && Math.hypot(e.clientX - start.x, e.clientY - start.y) > 4))
                  return;
                const rect = e.currentTarget.getBoundingClientRect();
                const p = {
                  x: Math.round(((e.clientX - rect.left) / rect.width) * natural.width),
                  y: Math.round(((e.clientY - rect.top) / rect.height) * natural.height),
                };
                setCross(p);
                onPick(p);
              }}
            >
              <img
                src={url}
                alt={frame ? `${inertText(item.name)}, ${inertText(frame.label)}` : ""}
                draggable={false}
                onLoad={(e) => {
                  const { naturalWidth: width, naturalHeight: height } = e.currentTarget;
                  setNatural({ width, height });
                  onSize({ width, height, url });
                }}
                style={{ width: "100%", height: "100%", display: "block", cursor: pickLabel ? "crosshair" : undefined }}
              />
              <svg
                viewBox={natural ? `0 0 ${natural.width} ${natural.height}` : undefined}
                preserveAspectRatio="none"
                aria-hidden
                style={{ position: "absolute", inset: 0, width: "100%", height: "100%", pointerEvents: "none" }}
              >
                {lines.map((l) => (
                  <line
                    key={l.id}
                    x1={l.from.x}
                    y1={l.from.y}
                    x2={l.to.x}
                    y2={l.to.y}
                    stroke={l.colour}
                    strokeWidth={3}
                    vectorEffect="non-scaling-stroke"
                  />
                ))}
              </svg>
              {marks.map((m) => (
                <span key={m.id} style={{ ...markStyle, ...pct(m), background: m.colour }} aria-hidden>
                  {m.label}
                </span>
              ))}
              {cross && <span style={{ ...crossStyle, ...pct(cross) }} aria-hidden />}
            </div>
          </ZoomPan>
        )}
        {pickLabel && (
          <Group gap="xs" style={bannerStyle}>
            <Text size="sm" c="white">
              {isRevealed
                ? `Click the frame, or use the arrow keys and Enter, to mark ${pickLabel}.`
                : `Reveal the media to mark ${pickLabel} on the frame.`}
            </Text>
            <Button size="compact-xs" variant="white" color="dark" onClick={onCancelPick}>
              Cancel
            </Button>
          </Group>
        )}
      </Box>
      <Text size="xs" c="dimmed" px="xs" aria-live="polite" style={{ background: "var(--mantine-color-body)" }}>
        {cross ? `Cross-hair at pixel ${cross.x}, ${cross.y}` : "Pixel positions are in the image's own pixels."}
        {natural ? ` · image ${natural.width} × ${natural.height}` : ""}
      </Text>
      {item.kind === "video" && (
        <ScrollArea
          type="auto"
          aria-label="Keyframes"
          viewportProps={{ tabIndex: 0 }}
          style={{ background: "var(--mantine-color-body)" }}
          p={4}
        >
          <Group gap={4} wrap="nowrap">
            {choices.map((c) => (
              <KeyframeButton
                key={c.path}
                connection={connection}
                dir={dir}
                path={c.path}
                time={c.timestampS ?? 0}
                isRevealed={isRevealed}
                isSelected={c.path === frame?.path}
                onSeek={() => onFrameChange(c)}
              />
            ))}
          </Group>
        </ScrollArea>
      )}
    </Stack>
  );
}
