/**
 * "Where and when" for one item: the frame on one side (the photo, or a keyframe of a video), the
 * map on the other, and beside them the geolocation form, the history of proposals with their
 * reviews, and the chronolocation panel. Picks on the frame and the map go to whichever form asked.
 */
import { Box, Button, Group, ScrollArea, Stack, Tabs, Text } from "@mantine/core";
import { useCallback, useMemo, useRef, useState } from "react";
import type { ExaminerSettingsInfo, ItemDetail } from "../../../../shared/api/contract.js";
import type { ChronolocationInfo, GeolocationInfo } from "../../../../shared/api/geoContract.js";
import type { FramePoint, LatLonValue, LayerRef } from "../../../../shared/ledger/geoEvents.js";
import type { Connection } from "../../connection.js";
import { MapWorkspace } from "../map/MapWorkspace.js";
import type { MapWorkspaceHandle } from "../map/mapTypes.js";
import { ItemError, ItemPending, useItemDetail } from "../item/useItemDetail.js";
import { ViewHeader } from "../item/ViewHeader.js";
import { ChronolocationPanel } from "./ChronolocationPanel.js";
import { ExportDialog } from "./ExportDialog.js";
import { FramePanel, frameChoices, type FrameChoice } from "./FramePanel.js";
import { GeolocationForm } from "./GeolocationForm.js";
import { GeolocationHistory } from "./GeolocationHistory.js";
import { EMPTY_OVERLAY, type Overlay, type Picking } from "./workspaceTypes.js";

/** What a clue matched with no imagery layer shown records as its layer. */
const PLAIN_MAP: LayerRef = {
  kind: "tiles",
  sha256: null,
  provider: "no imagery layer (the map's plain background)",
  sceneId: null,
  date: null,
  template: null,
};

/** The newest proposal no one has revised: the one a save revises. */
export function currentOf<T extends { ref: { seq: number }; replacedBy: unknown }>(list: T[]): T | null {
  return list.filter((g) => g.replacedBy === null).sort((a, b) => b.ref.seq - a.ref.seq)[0] ?? null;
}

export function GeolocateWorkspace({
  connection,
  dir,
  sha256,
  onClose,
  isRevealed,
  onToggleReveal,
}: {
  connection: Connection;
  dir: string;
  sha256: string;
  onClose: () => void;
  /** Whether the item's media is revealed: the item view's choice, which this workspace can change. */
  isRevealed: boolean;
  onToggleReveal: () => void;
}) {
  const { api } = connection.client;
  const [geolocations, setGeolocations] = useState<GeolocationInfo[]>([]);
  const [chronolocations, setChronolocations] = useState<ChronolocationInfo[]>([]);
  const [examiner, setExaminer] = useState<ExaminerSettingsInfo["examiner"] | null>(null);
  const [frame, setFrame] = useState<FrameChoice | null>(null);
  // The frame as loaded (its address and size) for the map's overlay; null while it is not shown.
  const [frameImage, setFrameImage] = useState<{ url: string; width: number; height: number } | null>(null);
  const [tab, setTab] = useState("geolocation");
  const [overlay, setOverlay] = useState<Overlay>(EMPTY_OVERLAY);
  const [framePick, setFramePick] = useState<{ label: string; then: (p: FramePoint) => void } | null>(null);
  const [mapPick, setMapPick] = useState<{ label: string; then: (p: LatLonValue, l: LayerRef) => void } | null>(null);
  const [isExporting, setExporting] = useState(false);
  const mapRef = useRef<MapWorkspaceHandle>(null);

  const alongside = useCallback(async () => {
    const [geo, settings] = await Promise.all([api.listGeolocations({ dir, sha256 }), api.examinerSettings({ dir })]);
    if (settings.ok) setExaminer(settings.value.examiner);
    if (!geo.ok) return geo.error.message;
    setGeolocations(geo.value.geolocations);
    setChronolocations(geo.value.chronolocations);
    return null;
  }, [api, dir, sha256]);
  // The first frame offered is shown until the verifier picks another.
  const onItem = useCallback((detail: ItemDetail) => setFrame((f) => f ?? frameChoices(detail)[0] ?? null), []);
  const { item, error, setError } = useItemDetail(connection, dir, sha256, alongside, onItem);

  const picking = useMemo(
    (): Picking => ({
      onFrame: (label, then) => {
        setMapPick(null);
        setFramePick({ label, then });
      },
      onMap: (label, then) => {
        setFramePick(null);
        setMapPick({ label, then });
      },
    }),
    [],
  );
  const onOverlay = useCallback((o: Overlay) => setOverlay(o), []);

  if (!item) return <ItemPending error={error} />;
  const current = currentOf(geolocations);
  const currentChrono = currentOf(chronolocations);
  const isDrawingArea = overlay.onAreaChange !== null;

  return (
    <>
      <Stack gap={0} h="100%" aria-label="Where and when">
        <ViewHeader backLabel="Back to the item" onBack={onClose} title={`Where and when: ${item.name}`}>
          <Button size="xs" variant="default" onClick={() => setExporting(true)}>
            Export geolocations
          </Button>
          <Button size="xs" variant={isRevealed ? "light" : "filled"} onClick={onToggleReveal}>
            {isRevealed ? "Veil media" : "Reveal media"}
          </Button>
        </ViewHeader>
        <ItemError error={error} onClose={() => setError(null)} />
        <Group gap={0} align="stretch" wrap="nowrap" style={{ flex: 1, minHeight: 0 }}>
          <Box style={{ flex: 1, minWidth: 0 }}>
            <FramePanel
              connection={connection}
              dir={dir}
              item={item}
              frame={frame}
              onFrameChange={setFrame}
              marks={overlay.frameMarks}
              lines={overlay.frameLines}
              pickLabel={framePick?.label ?? null}
              onPick={(p) => {
                if (!framePick || !frame) return;
                // Cleared first: the form may ask for the next point at once.
                setFramePick(null);
                framePick.then({ image: frame.image, x: p.x, y: p.y, timestampS: frame.timestampS });
              }}
              onCancelPick={() => setFramePick(null)}
              onSize={setFrameImage}
              isRevealed={isRevealed}
            />
          </Box>
          <Stack
            gap={0}
            style={{ flex: 1.6, minWidth: 0, borderLeft: "1px solid var(--mantine-color-default-border)" }}
          >
            {(mapPick || isDrawingArea) && (
              <Group gap="xs" px="xs" py={4} style={{ background: "var(--mantine-color-yellow-light)" }}>
                <Text size="sm">
                  {mapPick
                    ? `Click the map, or move it under the cross-hair and press Enter, to mark ${mapPick.label}.`
                    : "Click the map to add the area's corners."}
                </Text>
                {mapPick && (
                  <Button size="compact-xs" variant="default" onClick={() => setMapPick(null)}>
                    Cancel
                  </Button>
                )}
              </Group>
            )}
            {/* The map keeps its least height; below it, its tools scroll into view in a short window
                rather than being cut off at its bottom edge. */}
            <Box style={{ flex: 1, minHeight: 0, overflowY: "auto" }}>
              <MapWorkspace
                ref={mapRef}
                dir={dir}
                label="Map"
                markers={overlay.mapMarkers}
                area={overlay.area}
                sun={overlay.sun}
                pickMode={isDrawingArea ? "area" : mapPick ? "point" : null}
                onPick={(p) => {
                  if (isDrawingArea || !mapPick) return;
                  setMapPick(null);
                  mapPick.then(p, mapRef.current?.activeLayer() ?? PLAIN_MAP);
                }}
                onAreaChange={overlay.onAreaChange ?? undefined}
                frame={frameImage && frame && isRevealed ? { ...frameImage, label: frame.label } : null}
              />
            </Box>
          </Stack>
          <Box
            w={440}
            style={{ flexShrink: 0, borderLeft: "1px solid var(--mantine-color-default-border)", minHeight: 0 }}
          >
            <Tabs
              value={tab}
              onChange={(v) => setTab(v ?? "geolocation")}
              h="100%"
              style={{ display: "flex", flexDirection: "column" }}
              styles={{ tab: { paddingInline: 10 } }}
            >
              <Tabs.List>
                <Tabs.Tab value="geolocation">Geolocation</Tabs.Tab>
                <Tabs.Tab value="history">History and review ({geolocations.length})</Tabs.Tab>
                <Tabs.Tab value="chronolocation">Chronolocation</Tabs.Tab>
              </Tabs.List>
              <ScrollArea style={{ flex: 1 }} p="sm" viewportProps={{ tabIndex: 0 }}>
                <Tabs.Panel value="geolocation">
                  <GeolocationForm
                    connection={connection}
                    dir={dir}
                    item={item}
                    current={current}
                    frame={frame}
                    mapRef={mapRef}
                    picking={picking}
                    isActive={tab === "geolocation"}
                    onOverlay={onOverlay}
                  />
                </Tabs.Panel>
                <Tabs.Panel value="history">
                  <GeolocationHistory
                    connection={connection}
                    dir={dir}
                    item={item}
                    geolocations={geolocations}
                    examiner={examiner}
                    isActive={tab === "history"}
                    onOverlay={onOverlay}
                    frame={frame}
                    onFrameChange={setFrame}
                    isRevealed={isRevealed}
                  />
                </Tabs.Panel>
                <Tabs.Panel value="chronolocation">
                  <ChronolocationPanel
                    connection={connection}
                    dir={dir}
                    item={item}
                    geolocation={current}
                    current={currentChrono}
                    frame={frame}
                    picking={picking}
                    isActive={tab === "chronolocation"}
                    onOverlay={onOverlay}
                  />
                </Tabs.Panel>
              </ScrollArea>
            </Tabs>
          </Box>
        </Group>
        <ExportDialog
          connection={connection}
          dir={dir}
          opened={isExporting}
          onClose={() => setExporting(false)}
          preselected={current ? [current.ref] : undefined}
        />
      </Stack>
    </>
  );
}
