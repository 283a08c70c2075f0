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
import { draftId, type ClueDraft, type EliminatedDraft } from "./geolocationDraft.js";
import type { Picking } from "./workspaceTypes.js";

export function layerLabel(layer: LayerRef): string {
  return [layer.provider, layer.sceneId, layer.date].filter(Boolean).join(" · ");
}

export function CluesEditor({
  clues,
  onChange,
  picking,
}: {
  clues: ClueDraft[];
  onChange: (update: (clues: ClueDraft[]) => ClueDraft[]) => void;
  picking: Picking;
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
        <Box
          key={c.id}
          p={6}
          style={{ border: "1px solid var(--mantine-color-default-border)", borderRadius: 4 }}
          aria-label={`Clue ${i + 1}`}
          role="group"
        >
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <Text fw={700} size="sm" w={20} ta="center" aria-hidden>
              {i + 1}
            </Text>
            <TextInput
              size="xs"
              label={`Clue ${i + 1}: what it is`}
              placeholder="ridge line, minaret, road bend"
              value={c.what}
              onChange={(e) => set(c.id, { what: e.currentTarget.value })}
              style={{ flex: 1 }}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={`Remove clue ${i + 1}`}
              onClick={() => onChange((cs) => cs.filter((x) => x.id !== c.id))}
            >
              ✕
            </ActionIcon>
          </Group>
          <Group gap="xs" mt={4} wrap="nowrap">
            <Button size="compact-xs" variant="default" onClick={() => markFrame(c.id, i + 1, false)}>
              {c.frame ? "Move on frame" : "Mark on frame"}
            </Button>
            <Text size="xs" c={c.frame ? undefined : "orange"} className="mono">
              {c.frame
                ? `pixel ${Math.round(c.frame.x)}, ${Math.round(c.frame.y)}${c.frame.timestampS !== null ? ` at ${videoTimeLabel(c.frame.timestampS)}` : ""}`
                : "not on the frame yet"}
            </Text>
          </Group>
          <Group gap="xs" mt={4} wrap="nowrap">
            <Button size="compact-xs" variant="default" onClick={() => markMap(c.id, i + 1)}>
              {c.map ? "Move on map" : "Mark on map"}
            </Button>
            <Text size="xs" c={c.map ? undefined : "orange"} className="mono">
              {c.map ? formatDecimal(c.map) : "not on the map yet"}
            </Text>
          </Group>
          {c.layer && (
            <Text size="xs" c="dimmed">
              matched on {inertText(layerLabel(c.layer))}
            </Text>
          )}
        </Box>
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
}: {
  eliminated: EliminatedDraft[];
  onChange: (e: EliminatedDraft[]) => void;
}) {
  const set = (id: string, patch: Partial<EliminatedDraft>) =>
    onChange(eliminated.map((e) => (e.id === id ? { ...e, ...patch } : e)));
  return (
    <Stack gap="xs" aria-label="Places eliminated">
      {eliminated.map((e, i) => (
        <Box key={e.id} p={6} style={{ border: "1px solid var(--mantine-color-default-border)", borderRadius: 4 }}>
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <TextInput
              size="xs"
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
            label={`Why place ${i + 1} was eliminated`}
            autosize
            minRows={1}
            value={e.why}
            onChange={(ev) => set(e.id, { why: ev.currentTarget.value })}
          />
          <CoordinateField
            size="xs"
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
