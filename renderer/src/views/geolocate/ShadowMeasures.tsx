/**
 * Objects and their shadows measured on the frame: two clicks for the object (base, top) and two
 * for its shadow (base, tip), or a known height and a shadow length; the ratio, the sun elevation
 * it implies and the times of day that fit are worked out as the verifier goes.
 */
import { Button, Group, SegmentedControl, Stack, Text } from "@mantine/core";
import { inertText } from "../../../../shared/text/inertText.js";
import { WAITING_FOR_OFFSET, windowLabel } from "./chronoMath.js";
import { shadowFieldId, type FieldProblems } from "./formChecks.js";
import { newShadow, type ShadowDraft, type ShadowResult } from "./shadowDraft.js";
import { OBJECT_HEIGHT_FIELD, SHADOW_BEARING_FIELD, SHADOW_LENGTH_FIELD } from "./numberText.js";
import { NumberValueField } from "./NumberTextField.js";
import { PointEntry, PointRow } from "./PointEntry.js";
import type { Picking } from "./workspaceTypes.js";

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
  problems,
}: {
  shadows: ShadowDraft[];
  results: ShadowResult[];
  /** The offset from UTC in minutes, or null while its text states none the form accepts. */
  utcOffsetMinutes: number | null;
  onChange: (update: (s: ShadowDraft[]) => ShadowDraft[]) => void;
  picking: Picking;
  /** Why the chronolocation form refuses, by the id of the control it concerns. */
  problems: FieldProblems;
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
          <PointEntry
            key={s.id}
            name={`Shadow ${i + 1}`}
            whatLabel={`Shadow ${i + 1}: what casts it`}
            placeholder="lamp post, wall corner"
            what={s.what}
            whatId={shadowFieldId(s.id, "what")}
            whatError={problems.get(shadowFieldId(s.id, "what"))}
            onWhat={(what) => set(s.id, { what })}
            onRemove={() => onChange((all) => all.filter((x) => x.id !== s.id))}
          >
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
                <NumberValueField
                  size="xs"
                  id={shadowFieldId(s.id, "height")}
                  error={problems.get(shadowFieldId(s.id, "height"))}
                  label="Object height (m)"
                  field={OBJECT_HEIGHT_FIELD}
                  value={s.knownHeightM}
                  onValue={(v) => set(s.id, { knownHeightM: v })}
                />
                <NumberValueField
                  size="xs"
                  id={shadowFieldId(s.id, "length")}
                  error={problems.get(shadowFieldId(s.id, "length"))}
                  label="Shadow length (m)"
                  field={SHADOW_LENGTH_FIELD}
                  value={s.shadowLengthM}
                  onValue={(v) => set(s.id, { shadowLengthM: v })}
                />
              </Group>
            )}
            <PointRow
              action={s.shadowTip ? "Measure again on the frame" : "Measure on the frame"}
              onMark={() => measure(s, i + 1)}
              id={shadowFieldId(s.id, "measure")}
              error={problems.get(shadowFieldId(s.id, "measure"))}
              isMissing={false}
              isMono={false}
              status={STEPS.slice(s.mode === "known" ? 2 : 0)
                .map(([key, label]) => `${label} ${s[key] ? "✓" : "—"}`)
                .join(" · ")}
            />
            <NumberValueField
              size="xs"
              id={shadowFieldId(s.id, "bearing")}
              error={problems.get(shadowFieldId(s.id, "bearing"))}
              label="Shadow direction on the map, degrees from north (optional)"
              description="Tells a morning shadow from an afternoon one"
              field={SHADOW_BEARING_FIELD}
              value={s.bearingDeg}
              onValue={(v) => set(s.id, { bearingDeg: v })}
            />
            {r && !r.ok && !problems.has(shadowFieldId(s.id, "measure")) && (
              <Text size="xs" c="orange" mt={4}>
                {inertText(r.reason)}
              </Text>
            )}
            {r?.ok && (
              <Text size="xs" mt={4} aria-label={`Shadow ${i + 1} result`}>
                Shadow ÷ height = {r.ratio.toFixed(2)} → sun {r.elevationDeg.toFixed(1)}° above the horizon →{" "}
                {r.windows === null
                  ? `the times of day it fits are ${WAITING_FOR_OFFSET}`
                  : r.windows.length === 0
                    ? "the sun never stands that high (or that low) on this day here"
                    : r.windows.map((w) => windowLabel(w, utcOffsetMinutes)).join("; ")}
              </Text>
            )}
          </PointEntry>
        );
      })}
      <Button size="compact-sm" variant="light" onClick={() => onChange((all) => [...all, newShadow()])}>
        Add a shadow measurement
      </Button>
    </Stack>
  );
}
