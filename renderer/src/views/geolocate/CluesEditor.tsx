/**
 * Clues: each a feature seen on the frame and found on the map (a ridge, a minaret, a road bend),
 * the layer it was matched on, numbered alike on both sides. And the candidate places considered
 * and eliminated, with why.
 */
import { ActionIcon, Box, Button, Group, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { formatDecimal } from "../../../../shared/geo/coordinates.js";
import type { LayerRef } from "../../../../shared/ledger/geoEvents.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { videoTimeLabel } from "../item/MediaPanel.js";
import { CoordinateField } from "./CoordinateField.js";
import { clueFieldId, eliminatedFieldId, type FieldProblems } from "./formChecks.js";
import { draftId, type ClueDraft, type EliminatedDraft } from "./geolocationDraft.js";
import { entryStyle, PointEntry, PointRow } from "./PointEntry.js";
import type { Picking } from "./workspaceTypes.js";

export function layerLabel(layer: LayerRef): string {
  return [layer.provider, layer.sceneId, layer.date].filter(Boolean).join(" · ");
}

export function CluesEditor({
  clues,
  onChange,
  picking,
  problems,
}: {
  clues: ClueDraft[];
  onChange: (update: (clues: ClueDraft[]) => ClueDraft[]) => void;
  picking: Picking;
  /** Why the form refuses, by the id of the control it concerns. */
  problems: FieldProblems;
}) {
  const set = (id: string, patch: Partial<ClueDraft>) =>
    onChange((cs) => cs.map((c) => (c.id === id ? { ...c, ...patch } : c)));
  const markFrame = (id: string, n: number, andMap: boolean) =>
    picking.onFrame(`clue ${n}`, (frame) => {
      set(id, { frame });
      if (andMap) markMap(id, n);
    });
  const markMap = (id: string, n: number) =>
    picking.onMap(`clue ${n} on the map`, (map, layer) => set(id, { map, layer }));

  return (
    <Stack gap="xs" aria-label="Clues">
      {clues.map((c, i) => (
        <PointEntry
          key={c.id}
          name={`Clue ${i + 1}`}
          number={i + 1}
          whatLabel={`Clue ${i + 1}: what it is`}
          placeholder="ridge line, minaret, road bend"
          what={c.what}
          whatId={clueFieldId(c.id, "what")}
          whatError={problems.get(clueFieldId(c.id, "what"))}
          onWhat={(what) => set(c.id, { what })}
          onRemove={() => onChange((cs) => cs.filter((x) => x.id !== c.id))}
        >
          <PointRow
            action={c.frame ? "Move on frame" : "Mark on frame"}
            onMark={() => markFrame(c.id, i + 1, false)}
            id={clueFieldId(c.id, "frame")}
            error={problems.get(clueFieldId(c.id, "frame"))}
            isMissing={!c.frame}
            status={
              c.frame
                ? `pixel ${Math.round(c.frame.x)}, ${Math.round(c.frame.y)}${c.frame.timestampS !== null ? ` at ${videoTimeLabel(c.frame.timestampS)}` : ""}`
                : "not on the frame yet"
            }
          />
          <PointRow
            action={c.map ? "Move on map" : "Mark on map"}
            onMark={() => markMap(c.id, i + 1)}
            id={clueFieldId(c.id, "map")}
            error={problems.get(clueFieldId(c.id, "map"))}
            isMissing={!c.map}
            status={c.map ? formatDecimal(c.map) : "not on the map yet"}
          />
          {c.layer && (
            <Text size="xs" c="dimmed">
              matched on {inertText(layerLabel(c.layer))}
            </Text>
          )}
        </PointEntry>
      ))}
      <Button
        size="compact-sm"
        variant="light"
        onClick={() => {
          const id = draftId();
          onChange((cs) => [...cs, { id, what: "", frame: null, map: null, layer: null }]);
          markFrame(id, clues.length + 1, true);
        }}
      >
        Add a clue
      </Button>
    </Stack>
  );
}

export function EliminatedEditor({
  eliminated,
  onChange,
  problems,
  onCoordinateProblem,
}: {
  eliminated: EliminatedDraft[];
  onChange: (e: EliminatedDraft[]) => void;
  problems: FieldProblems;
  onCoordinateProblem: (field: string, reason: string | null) => void;
}) {
  const set = (id: string, patch: Partial<EliminatedDraft>) =>
    onChange(eliminated.map((e) => (e.id === id ? { ...e, ...patch } : e)));
  return (
    <Stack gap="xs" aria-label="Places eliminated">
      {eliminated.map((e, i) => (
        <Box key={e.id} p={6} style={entryStyle}>
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <TextInput
              size="xs"
              id={eliminatedFieldId(e.id, "place")}
              error={problems.get(eliminatedFieldId(e.id, "place"))}
              label={`Place ${i + 1} considered`}
              value={e.place}
              onChange={(ev) => set(e.id, { place: ev.currentTarget.value })}
              style={{ flex: 1 }}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={`Remove eliminated place ${i + 1}`}
              onClick={() => onChange(eliminated.filter((x) => x.id !== e.id))}
            >
              ✕
            </ActionIcon>
          </Group>
          <Textarea
            size="xs"
            id={eliminatedFieldId(e.id, "why")}
            error={problems.get(eliminatedFieldId(e.id, "why"))}
            label={`Why place ${i + 1} was eliminated`}
            autosize
            minRows={1}
            value={e.why}
            onChange={(ev) => set(e.id, { why: ev.currentTarget.value })}
          />
          <CoordinateField
            size="xs"
            id={eliminatedFieldId(e.id, "location")}
            onProblem={onCoordinateProblem}
            label={`Place ${i + 1} position`}
            value={e.location}
            onChange={(location) => set(e.id, { location })}
          />
        </Box>
      ))}
      <Button
        size="compact-xs"
        variant="light"
        onClick={() => onChange([...eliminated, { id: draftId(), place: "", why: "", location: null }])}
      >
        Add a place considered and eliminated
      </Button>
    </Stack>
  );
}
