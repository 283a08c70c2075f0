/**
 * The clues of a recorded geolocation, shown as the verifier left them: numbered on the frame
 * (the photo, or the keyframe each was taken on) and with the same numbers on the map, and listed
 * as text, so a reader who cannot see the marks hears what each clue is and where it lies.
 */
import { Button, List, Text } from "@mantine/core";
import type { GeolocationInfo } from "../../../../shared/api/geoContract.js";
import { formatDecimal } from "../../../../shared/geo/coordinates.js";
import type { Clue } from "../../../../shared/ledger/geoEvents.js";
import { inertText } from "../../../../shared/text/inertText.js";
import type { MapMarker } from "../map/mapTypes.js";
import { videoTimeLabel } from "../item/MediaPanel.js";
import { layerLabel } from "./CluesEditor.js";
import type { FrameChoice, FrameMark } from "./FramePanel.js";

/** The colour clue marks have on the frame, as in the geolocation form. */
export const CLUE_COLOUR = "#b03a09";

/** Where a clue was marked on the frame, in words: "the photo" or "the keyframe at 0:03". */
function frameText(c: Clue): string {
  return c.frame.timestampS === null ? "the photo" : `the keyframe at ${videoTimeLabel(c.frame.timestampS)}`;
}

/** The clues' marks on the frame shown now (those taken on it), numbered as recorded. */
export function clueFrameMarks(g: GeolocationInfo, frame: FrameChoice | null): FrameMark[] {
  return g.payload.clues.flatMap((c, i) =>
    frame && c.frame.image === frame.image
      ? [{ id: `${g.ref.hash}-${i}`, x: c.frame.x, y: c.frame.y, label: String(i + 1), colour: CLUE_COLOUR }]
      : [],
  );
}

/** The clues on the map, with the same numbers. */
export function clueMapMarkers(g: GeolocationInfo): MapMarker[] {
  return g.payload.clues.map((c, i) => ({
    id: `${g.ref.hash}-clue-${i}`,
    lat: c.map.lat,
    lon: c.map.lon,
    label: String(i + 1),
    kind: "clue",
  }));
}

/**
 * The frame to show for a proposal's clues: the one shown now if any clue was taken on it, else
 * the frame (photo or keyframe) of its first clue, if the item still offers it.
 */
export function frameForClues(
  g: GeolocationInfo,
  shown: FrameChoice | null,
  choices: FrameChoice[],
): FrameChoice | null {
  const clues = g.payload.clues;
  if (clues.length === 0 || (shown && clues.some((c) => c.frame.image === shown.image))) return null;
  return choices.find((f) => f.image === clues[0]!.frame.image) ?? null;
}

export function RecordedClues({
  proposal: g,
  frame,
  choices,
  onFrameChange,
}: {
  proposal: GeolocationInfo;
  frame: FrameChoice | null;
  choices: FrameChoice[];
  onFrameChange: (f: FrameChoice) => void;
}) {
  return (
    <List
      type="ordered"
      size="xs"
      spacing={2}
      mt={4}
      aria-label={`Clues of proposal #${g.ref.seq}`}
      styles={{ itemWrapper: { display: "inline" } }}
    >
      {g.payload.clues.map((c, i) => {
        const elsewhere = frame?.image !== c.frame.image ? choices.find((f) => f.image === c.frame.image) : undefined;
        return (
          <List.Item key={i}>
            <Text size="xs" span fw={600}>
              {inertText(c.what)}
            </Text>
            <Text size="xs" span>
              {` — on ${frameText(c)} at pixel ${Math.round(c.frame.x)}, ${Math.round(c.frame.y)}; `}
              {`on the map at ${formatDecimal(c.map)}; matched on ${inertText(layerLabel(c.layer))}`}
            </Text>
            {elsewhere && (
              <Button size="compact-xs" variant="subtle" ml={4} onClick={() => onFrameChange(elsewhere)}>
                Show {frameText(c)} (clue {i + 1})
              </Button>
            )}
          </List.Item>
        );
      })}
    </List>
  );
}
