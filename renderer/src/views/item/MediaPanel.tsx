/**
 * The item's picture or video (veiled until revealed): an image with zoom and pan, a video with
 * frame stepping and its keyframes. Images show the original at full resolution; videos the proxy
 * when the original will not play here.
 *
 * A veiled picture is the veiled copy of its preview (veiledCopy.ts), as on the board: the original
 * is not fetched or decoded until the examiner reveals it, so nothing of it can be seen, and a huge
 * or crafted original costs nothing while veiled. A veiled video stays the video under a blur, as the
 * examiner may step through it veiled; its keyframes are veiled copies.
 */
import { Box, Button, Group, ScrollArea, Stack, Text } from "@mantine/core";
import { useEffect, useMemo, useRef } from "react";
import type { ItemDetail } from "../../../../shared/api/contract.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { Thumbnail } from "../../components/Thumbnail.js";
import { ZoomPan } from "../../components/ZoomPan.js";
import type { Connection } from "../../connection.js";
import { isInField } from "../../keyboard/inField.js";
import { useFileUrl } from "./useFileUrl.js";

export function MediaPanel({
  connection,
  dir,
  item,
  isRevealed,
}: {
  connection: Connection;
  dir: string;
  item: ItemDetail;
  isRevealed: boolean;
}) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const { derivatives, kind } = item;
  const thumbnail = derivatives.find((d) => d.role === "thumbnail");
  const proxy = derivatives.find((d) => d.role === "proxy");
  const keyframes = derivatives.filter((d) => d.role === "keyframe");
  const mediaPath = kind === "video" ? (proxy?.path ?? item.objectPath) : item.objectPath;
  const isOriginalShown = kind === "video" || (kind === "image" && isRevealed);
  const [mediaUrl, mediaFailure] = useFileUrl(connection, dir, isOriginalShown ? mediaPath : null);
  const fps = useMemo(() => {
    const streams = (item.metadata?.metadata.raw.ffprobe as { streams?: { r_frame_rate?: string }[] } | undefined)
      ?.streams;
    const rate = streams?.find((s) => s.r_frame_rate && s.r_frame_rate !== "0/0")?.r_frame_rate ?? "25/1";
    const [n, d] = rate.split("/").map(Number);
    return n && d ? n / d : 25;
  }, [item]);

  const step = (frames: number) => {
    const v = videoRef.current;
    if (!v) return;
    v.pause();
    v.currentTime = Math.max(0, v.currentTime + frames / fps);
  };

  // , and . step a frame back and forward, unless the examiner is typing.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isInField(e.target)) return;
      if (e.key === ",") step(-1);
      else if (e.key === ".") step(1);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  return (
    <Stack gap={0} style={{ flex: 1, minWidth: 0, background: "#0b0b0c" }}>
      <Box style={{ flex: 1, minHeight: 0, position: "relative", overflow: "hidden", containerType: "size" }}>
        {mediaFailure && (
          <Text c="orange" size="sm" p="md" role="alert">
            This file cannot be shown here: {inertText(mediaFailure)}. Its bytes are safe in the vault.
          </Text>
        )}
        {kind === "image" && !isRevealed && (
          <VeiledPicture connection={connection} dir={dir} path={thumbnail?.path ?? null} alt={inertText(item.name)} />
        )}
        {kind === "image" && isRevealed && mediaUrl && (
          <ZoomPan>
            <img
              src={mediaUrl}
              alt={inertText(item.name)}
              draggable={false}
              style={{ maxWidth: "100%", maxHeight: "100%", objectFit: "contain" }}
            />
          </ZoomPan>
        )}
        {kind === "video" && mediaUrl && (
          <video
            ref={videoRef}
            src={mediaUrl}
            controls
            muted={!isRevealed}
            // Veiled, no way round the blur: picture-in-picture draws without it, and full screen
            // draws it at the panel's size.
            disablePictureInPicture={!isRevealed}
            controlsList={isRevealed ? undefined : "nofullscreen"}
            aria-label="Video"
            className={isRevealed ? undefined : "media-veiled media-veiled-large"}
            style={{ width: "100%", height: "100%", objectFit: "contain" }}
          />
        )}
        {kind !== "image" && kind !== "video" && (
          <Text c="dimmed" ta="center" mt="xl">
            No viewer for this kind of file{thumbnail ? "" : " (no preview could be made)"}.
          </Text>
        )}
      </Box>
      {kind === "video" && (
        <Stack gap={4} p="xs" style={{ background: "var(--mantine-color-body)" }}>
          <Group gap="xs">
            <Button size="compact-sm" variant="default" onClick={() => step(-1)} aria-label="Previous frame">
              ◀ frame
            </Button>
            <Button size="compact-sm" variant="default" onClick={() => step(1)} aria-label="Next frame">
              frame ▶
            </Button>
            <Text size="xs" c="dimmed">
              {fps.toFixed(2)} fps{proxy ? " · playing the proxy (the original's codec does not play here)" : ""}
            </Text>
          </Group>
          {keyframes.length > 0 && (
            <Text size="xs" c="dimmed">
              {(keyframes[0]!.params as { method?: string } | undefined)?.method === "even-interval"
                ? `${keyframes.length} frames taken at even intervals: the video has too few keyframes to search with`
                : `${keyframes.length} keyframes, spread across the video`}
            </Text>
          )}
          <ScrollArea type="auto" aria-label="Keyframes">
            <Group gap={4} wrap="nowrap">
              {keyframes.map((k) => (
                <KeyframeButton
                  key={k.path}
                  connection={connection}
                  dir={dir}
                  path={k.path}
                  time={k.timestampS ?? 0}
                  isRevealed={isRevealed}
                  onSeek={(t) => {
                    if (videoRef.current) videoRef.current.currentTime = t;
                  }}
                />
              ))}
            </Group>
          </ScrollArea>
        </Stack>
      )}
    </Stack>
  );
}

/** A veiled picture: the veiled copy of its preview at `path`, whole, and how to see the picture itself. */
export function VeiledPicture({
  connection,
  dir,
  path,
  alt,
}: {
  connection: Connection;
  dir: string;
  path: string | null;
  alt: string;
}) {
  return (
    <Box style={{ position: "absolute", inset: 0 }}>
      <Thumbnail connection={connection} dir={dir} path={path} alt={alt} isRevealed={false} fit="contain" />
      <Text size="sm" className="veil-caption">
        Veiled. Press <kbd>r</kbd> or “Reveal media” to see the picture.
      </Text>
    </Box>
  );
}

/** `m:ss.s` for a time in a video. */
export function videoTimeLabel(time: number): string {
  return `${Math.floor(time / 60)}:${(time % 60).toFixed(1).padStart(4, "0")}`;
}

export function KeyframeButton({
  connection,
  dir,
  path,
  time,
  isRevealed,
  isSelected,
  onSeek,
}: {
  connection: Connection;
  dir: string;
  path: string;
  time: number;
  isRevealed: boolean;
  isSelected?: boolean;
  onSeek: (t: number) => void;
}) {
  const label = videoTimeLabel(time);
  return (
    <button
      type="button"
      onClick={() => onSeek(time)}
      aria-label={`Keyframe at ${label}`}
      aria-pressed={isSelected}
      style={{
        padding: 0,
        border: isSelected ? "2px solid var(--mantine-color-teal-5)" : 0,
        background: "none",
        cursor: "pointer",
        flex: "none",
      }}
    >
      <div style={{ width: 96, height: 54 }}>
        <Thumbnail connection={connection} dir={dir} path={path} alt="" isRevealed={isRevealed} />
      </div>
      <Text size="xs" c="dimmed" className="mono">
        {label}
      </Text>
    </button>
  );
}
