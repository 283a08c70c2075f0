/**
 * The compare controls under the map: mode, the swipe or opacity slider between the two top
 * layers, and the frame overlay's opacity, size, rotation and position (every one by keyboard:
 * sliders take arrow keys, the move buttons step the frame by 10 pixels).
 */
import { ActionIcon, Button, Group, SegmentedControl, Slider, Stack, Text } from "@mantine/core";
import type { MapLayersState } from "./useMapLayers.js";
import type { CompareMode, CompareState } from "./useCompare.js";

export { useCompare } from "./useCompare.js";

type Frame = { url: string; width: number; height: number; label: string } | null;

function LabelledSlider(props: {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  onChange(v: number): void;
  format(v: number): string;
}) {
  return (
    <Group gap="xs" wrap="nowrap" miw={220} style={{ flex: 1 }}>
      <Text size="xs" w={88}>
        {props.label}
      </Text>
      <Slider
        style={{ flex: 1 }}
        size="sm"
        min={props.min}
        max={props.max}
        step={props.step}
        value={props.value}
        onChange={props.onChange}
        label={props.format}
        thumbLabel={props.label}
        aria-label={props.label}
      />
    </Group>
  );
}

export function CompareBar({
  compare,
  layers,
  frame,
}: {
  compare: CompareState;
  layers: MapLayersState;
  frame: Frame;
}) {
  const visible = layers.choices.filter((c) => c.visible);
  const name = (key: string | undefined) => layers.options.find((o) => o.key === key)?.label ?? "nothing";
  const top = name(visible.at(-1)?.key);
  const beneath = name(visible.at(-2)?.key);
  const pct = (v: number) => `${Math.round(v * 100)}%`;
  const f = compare.frame;
  return (
    <Stack gap={4} className="compare-bar">
      <Group gap="sm" wrap="wrap">
        <SegmentedControl
          size="xs"
          aria-label="Compare mode"
          value={compare.mode}
          onChange={(v) => compare.setMode(v as CompareMode)}
          data={[
            { label: "Single", value: "single" },
            { label: "Swipe", value: "swipe" },
            { label: "Opacity", value: "opacity" },
            { label: "Overlay frame", value: "overlay", disabled: frame === null },
          ]}
        />
        {(compare.mode === "swipe" || compare.mode === "opacity") && (
          <LabelledSlider
            key={compare.mode}
            label={compare.mode === "swipe" ? "Swipe position" : "Top layer opacity"}
            value={compare.position}
            min={0}
            max={1}
            step={0.01}
            onChange={compare.setPosition}
            format={pct}
          />
        )}
      </Group>
      {(compare.mode === "swipe" || compare.mode === "opacity") && (
        <Text size="xs" c="dimmed">
          {visible.length < 2
            ? "Show two layers (or two dates of a scene) to compare them."
            : compare.mode === "swipe"
              ? `Left of the slider: ${top}. Right: ${beneath}.`
              : `${top} faded over ${beneath}.`}
        </Text>
      )}
      {compare.mode === "overlay" && frame && (
        <Group gap="sm" wrap="wrap">
          <LabelledSlider
            label="Frame opacity"
            value={f.opacity}
            min={0.05}
            max={1}
            step={0.05}
            onChange={(v) => compare.setFrame({ ...f, opacity: v })}
            format={pct}
          />
          <LabelledSlider
            label="Frame size"
            value={Math.log10(f.metresPerPixel)}
            min={-2}
            max={3}
            step={0.02}
            onChange={(v) => compare.setFrame({ ...f, metresPerPixel: 10 ** v })}
            format={(v) => `${(10 ** v * frame.width).toFixed(0)} m wide`}
          />
          <LabelledSlider
            label="Frame rotation"
            value={f.rotationDeg}
            min={-180}
            max={180}
            step={1}
            onChange={(v) => compare.setFrame({ ...f, rotationDeg: v })}
            format={(v) => `${v}°`}
          />
          <Group gap={2} aria-label="Move the frame" role="group">
            <ActionIcon variant="default" aria-label="Move frame left" onClick={() => compare.moveFrame(-10, 0)}>
              ←
            </ActionIcon>
            <ActionIcon variant="default" aria-label="Move frame up" onClick={() => compare.moveFrame(0, -10)}>
              ↑
            </ActionIcon>
            <ActionIcon variant="default" aria-label="Move frame down" onClick={() => compare.moveFrame(0, 10)}>
              ↓
            </ActionIcon>
            <ActionIcon variant="default" aria-label="Move frame right" onClick={() => compare.moveFrame(10, 0)}>
              →
            </ActionIcon>
            <Button size="compact-xs" variant="default" onClick={compare.centreFrame}>
              Centre frame
            </Button>
          </Group>
        </Group>
      )}
    </Stack>
  );
}
