/**
 * Objects and their shadows measured on the frame: two clicks for the object (base, top) and two
 * for its shadow (base, tip), or a known height and a shadow length; the ratio, the sun elevation
 * it implies and the times of day that fit are worked out as the verifier goes.
 */
import { ActionIcon, Box, Button, Group, NumberInput, SegmentedControl, Stack, Text, TextInput } from "@mantine/core";
import type { FramePoint } from "../../../../shared/ledger/geoEvents.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { windowLabel, type Window } from "./chronoMath.js";
import type { FramePixel } from "./FramePanel.js";
import { draftId } from "./geolocationDraft.js";
import type { Picking } from "./workspaceTypes.js";

export interface ShadowDraft {
  id: string;
  what: string;
  mode: "frame" | "known";
  frame: Omit<FramePoint, "x" | "y"> | null;
  objectBase: FramePixel | null;
  objectTop: FramePixel | null;
  shadowBase: FramePixel | null;
  shadowTip: FramePixel | null;
  knownHeightM: number | null;
  shadowLengthM: number | null;
  bearingDeg: number | null;
}

/** What a measurement works out to, or why it does not yet. */
export type ShadowResult =
  { ok: true; ratio: number; elevationDeg: number; windows: Window[] } | { ok: false; reason: string };

export const newShadow = (): ShadowDraft => ({
  id: draftId(),
  what: "",
  mode: "frame",
  frame: null,
  objectBase: null,
  objectTop: null,
  shadowBase: null,
  shadowTip: null,
  knownHeightM: null,
  shadowLengthM: null,
  bearingDeg: null,
});

const STEPS = [
  ["objectBase", "the object's base"],
  ["objectTop", "the object's top"],
  ["shadowBase", "the shadow's base"],
  ["shadowTip", "the shadow's tip"],
] as const;

export function ShadowMeasures({
  shadows,
  results,
  utcOffsetMinutes,
  onChange,
  picking,
}: {
  shadows: ShadowDraft[];
  results: ShadowResult[];
  utcOffsetMinutes: number;
  onChange: (update: (s: ShadowDraft[]) => ShadowDraft[]) => void;
  picking: Picking;
}) {
  const set = (id: string, patch: Partial<ShadowDraft>) =>
    onChange((all) => all.map((s) => (s.id === id ? { ...s, ...patch } : s)));

  /** Asks for the remaining points in order: base, top, shadow base, tip (only the shadow when the height is known). */
  const measure = (s: ShadowDraft, n: number, from = s.mode === "known" ? 2 : 0) => {
    const step = STEPS[from];
    if (!step) return;
    picking.onFrame(`${step[1]} (shadow ${n})`, (p) => {
      set(s.id, { [step[0]]: { x: p.x, y: p.y }, frame: { image: p.image, timestampS: p.timestampS } });
      measure(s, n, from + 1);
    });
  };

  return (
    <Stack gap="xs" aria-label="Shadow measurements">
      {shadows.map((s, i) => {
        const r = results[i];
        return (
          <Box
            key={s.id}
            p={6}
            role="group"
            aria-label={`Shadow ${i + 1}`}
            style={{ border: "1px solid var(--mantine-color-default-border)", borderRadius: 4 }}
          >
            <Group gap="xs" align="flex-end" wrap="nowrap">
              <TextInput
                size="xs"
                label={`Shadow ${i + 1}: what casts it`}
                placeholder="lamp post, wall corner"
                value={s.what}
                onChange={(e) => set(s.id, { what: e.currentTarget.value })}
                style={{ flex: 1 }}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={`Remove shadow ${i + 1}`}
                onClick={() => onChange((all) => all.filter((x) => x.id !== s.id))}
              >
                ✕
              </ActionIcon>
            </Group>
            <SegmentedControl
              size="xs"
              mt={4}
              aria-label={`Shadow ${i + 1}: the object's height`}
              value={s.mode}
              onChange={(v) => set(s.id, { mode: v as ShadowDraft["mode"] })}
              data={[
                { value: "frame", label: "Measure the object on the frame" },
                { value: "known", label: "I know its height" },
              ]}
            />
            {s.mode === "known" && (
              <Group gap="xs" grow>
                <NumberInput
                  size="xs"
                  label="Object height (m)"
                  min={0.01}
                  value={s.knownHeightM ?? ""}
                  onChange={(v) => set(s.id, { knownHeightM: typeof v === "number" ? v : null })}
                />
                <NumberInput
                  size="xs"
                  label="Shadow length (m)"
                  min={0.01}
                  value={s.shadowLengthM ?? ""}
                  onChange={(v) => set(s.id, { shadowLengthM: typeof v === "number" ? v : null })}
                />
              </Group>
            )}
            <Group gap="xs" mt={4}>
              <Button size="compact-xs" variant="default" onClick={() => measure(s, i + 1)}>
                {s.shadowTip ? "Measure again on the frame" : "Measure on the frame"}
              </Button>
              <Text size="xs" c="dimmed">
                {STEPS.slice(s.mode === "known" ? 2 : 0)
                  .map(([key, label]) => `${label} ${s[key] ? "✓" : "—"}`)
                  .join(" · ")}
              </Text>
            </Group>
            <NumberInput
              size="xs"
              label="Shadow direction on the map, degrees from north (optional)"
              description="Tells a morning shadow from an afternoon one"
              min={0}
              max={360}
              value={s.bearingDeg ?? ""}
              onChange={(v) => set(s.id, { bearingDeg: typeof v === "number" ? v : null })}
            />
            {r && !r.ok && (
              <Text size="xs" c="orange" mt={4}>
                {inertText(r.reason)}
              </Text>
            )}
            {r?.ok && (
              <Text size="xs" mt={4} aria-label={`Shadow ${i + 1} result`}>
                Shadow ÷ height = {r.ratio.toFixed(2)} → sun {r.elevationDeg.toFixed(1)}° above the horizon →{" "}
                {r.windows.length === 0
                  ? "the sun never stands that high (or that low) on this day here"
                  : r.windows.map((w) => windowLabel(w, utcOffsetMinutes)).join("; ")}
              </Text>
            )}
          </Box>
        );
      })}
      <Button size="compact-sm" variant="light" onClick={() => onChange((all) => [...all, newShadow()])}>
        Add a shadow measurement
      </Button>
    </Stack>
  );
}
