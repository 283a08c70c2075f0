/**
 * The layer list beside the map: what the case offers, grouped (offline basemaps, scenes, burn
 * views, online tiles), each with a switch to show it; shown layers with their opacity and order
 * (the last is on top, the one compared and matched on); the dNBR legend and the small-fire
 * caveat beside burn views; and the form to add a tile layer.
 */
import { ActionIcon, Alert, Badge, Checkbox, Group, ScrollArea, Slider, Stack, Text, Title } from "@mantine/core";
import type { LayerOption } from "./layerCatalog.js";
import type { LayerChoice, MapLayersState } from "./useMapLayers.js";
import { DNBR_CLASSES } from "./burnIndex.js";
import { TileSourceForm } from "./TileSourceForm.js";

const GROUPS: LayerOption["group"][] = ["Offline basemaps", "Scenes", "Burn views", "Online tiles"];

export function DnbrLegend() {
  return (
    <Stack gap={2} aria-label="dNBR severity classes" role="list">
      {DNBR_CLASSES.map((c, i) => {
        const next = DNBR_CLASSES[i + 1]?.from;
        const range = c.from === null ? `< ${next}` : next === undefined ? `> ${c.from}` : `${c.from} to ${next}`;
        return (
          <Group key={c.label} gap={6} wrap="nowrap" role="listitem">
            <span className="legend-swatch" style={{ background: `rgb(${c.colour.join(",")})` }} />
            <Text size="xs">
              {c.label} <span className="mono">({range})</span>
            </Text>
          </Group>
        );
      })}
    </Stack>
  );
}

export function BurnCaveat() {
  return (
    <Alert color="yellow" variant="light" p="xs">
      <Text size="xs">
        Burn indices are unreliable for small, village-scale fires (a 20 m pixel is larger than most houses): confirm
        any burn with high-resolution imagery.
      </Text>
    </Alert>
  );
}

export function LayerPanel({ dir, layers }: { dir: string; layers: MapLayersState }) {
  const chosen = new Map(layers.choices.map((c, i) => [c.key, i]));
  const set = (next: LayerChoice[]) => layers.setChoices(next);
  const toggle = (o: LayerOption, on: boolean) =>
    set(
      on
        ? [...layers.choices, { key: o.key, opacity: 1, visible: true }]
        : layers.choices.filter((c) => c.key !== o.key),
    );
  const update = (key: string, change: Partial<LayerChoice>) =>
    set(layers.choices.map((c) => (c.key === key ? { ...c, ...change } : c)));
  const move = (i: number, by: number) => {
    const next = [...layers.choices];
    const [c] = next.splice(i, 1);
    if (!c) return;
    next.splice(Math.max(0, Math.min(next.length, i + by)), 0, c);
    set(next);
  };
  const showsBurn = layers.choices.some(
    (c) => c.key.startsWith("dnbr:") || c.key.endsWith(":nbr") || c.key.endsWith(":false-colour-burn"),
  );
  const showsDnbr = layers.choices.some((c) => c.key.startsWith("dnbr:") && c.visible);
  const gridNotes = [
    ...new Set(
      layers.choices.flatMap((c) =>
        c.visible && c.key.startsWith("dnbr:") ? (layers.options.find((o) => o.key === c.key)?.gridNote ?? []) : [],
      ),
    ),
  ];
  const label = (key: string) => layers.options.find((o) => o.key === key)?.label ?? key;

  return (
    <ScrollArea.Autosize mah={560} w={320} type="auto" className="layer-panel">
      <Stack gap="xs" p={4}>
        <Title order={3} size="h6">
          Shown (top last)
        </Title>
        {layers.choices.length === 0 && (
          <Text size="xs" c="dimmed">
            Nothing yet: switch on a layer below.
          </Text>
        )}
        {layers.choices.map((c, i) => (
          <Stack key={c.key} gap={2} className="layer-row">
            <Group gap={4} wrap="nowrap" justify="space-between">
              <Checkbox
                size="xs"
                label={label(c.key)}
                checked={c.visible}
                onChange={(e) => update(c.key, { visible: e.currentTarget.checked })}
                aria-label={`Visible: ${label(c.key)}`}
              />
              <Group gap={2} wrap="nowrap">
                <ActionIcon
                  size="sm"
                  variant="subtle"
                  aria-label={`Move down: ${label(c.key)}`}
                  disabled={i === 0}
                  onClick={() => move(i, -1)}
                >
                  ↓
                </ActionIcon>
                <ActionIcon
                  size="sm"
                  variant="subtle"
                  aria-label={`Move up: ${label(c.key)}`}
                  disabled={i === layers.choices.length - 1}
                  onClick={() => move(i, 1)}
                >
                  ↑
                </ActionIcon>
              </Group>
            </Group>
            <Slider
              size="xs"
              min={0}
              max={1}
              step={0.05}
              value={c.opacity}
              onChange={(v) => update(c.key, { opacity: v })}
              label={(v) => `${Math.round(v * 100)}%`}
              aria-label={`Opacity: ${label(c.key)}`}
              thumbLabel={`Opacity: ${label(c.key)}`}
            />
          </Stack>
        ))}
        {showsDnbr && <DnbrLegend />}
        {gridNotes.map((note) => (
          <Text key={note} size="xs" className="dnbr-grid-note">
            {note}
          </Text>
        ))}
        {showsBurn && <BurnCaveat />}
        {GROUPS.map((g) => {
          const items = layers.options.filter((o) => o.group === g);
          if (items.length === 0) return null;
          return (
            <Stack key={g} gap={4}>
              <Title order={3} size="h6">
                {g}
              </Title>
              {items.map((o) => (
                <Stack key={o.key} gap={0}>
                  <Checkbox
                    size="xs"
                    label={o.label}
                    checked={chosen.has(o.key)}
                    disabled={o.unavailable !== null}
                    onChange={(e) => toggle(o, e.currentTarget.checked)}
                  />
                  {o.unavailable && (
                    <Text size="xs" c="dimmed" pl={28}>
                      Cannot be shown: {o.unavailable}
                    </Text>
                  )}
                  {o.terms && chosen.has(o.key) && (
                    <Text size="xs" c="dimmed" pl={28}>
                      Terms: {o.terms}
                    </Text>
                  )}
                </Stack>
              ))}
            </Stack>
          );
        })}
        {layers.isLoaded && !layers.options.some((o) => o.group === "Offline basemaps") && (
          <Badge variant="light" color="gray" size="sm">
            No offline basemap in this case
          </Badge>
        )}
        <TileSourceForm dir={dir} onSaved={layers.reload} />
      </Stack>
    </ScrollArea.Autosize>
  );
}
