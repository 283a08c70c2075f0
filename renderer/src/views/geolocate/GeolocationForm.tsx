/**
 * The geolocation form: the claims kept apart from the finding; located or not (and why); a point
 * or an area with its precision and the verifier's confidence; clues matched frame-to-map; places
 * eliminated; the method; whether the place is sensitive. Saving keeps a snapshot of the map as
 * shown and records a geolocation.proposed event; saving again is a revision of the current one.
 */
import { Button, Checkbox, Group, SegmentedControl, Select, Stack, Text, Title } from "@mantine/core";
import { useEffect, useMemo, useState } from "react";
import type { ItemDetail } from "../../../../shared/api/contract.js";
import type { GeolocationInfo } from "../../../../shared/api/geoContract.js";
import {
  CONFIDENCE_LEVELS,
  PRECISION_CLASSES,
  type ConfidenceLevel,
  type PrecisionClass,
} from "../../../../shared/ledger/geoEvents.js";
import type { Connection } from "../../connection.js";
import type { MapMarker } from "../map/mapTypes.js";
import { ClaimsEditor } from "./ClaimsEditor.js";
import { FormSave, recordedNotice } from "./FormOutcome.js";
import { FormTextarea } from "./FormTextarea.js";
import { CluesEditor, EliminatedEditor } from "./CluesEditor.js";
import { CoordinateField } from "./CoordinateField.js";
import type { FrameChoice, FrameMark } from "./FramePanel.js";
import { CONFIDENCE_LABELS, PRECISION_LABELS } from "./geoLabels.js";
import { FIELD_IDS, useFormChecks, type FieldProblem } from "./formChecks.js";
import {
  checkGeolocationDraft,
  draftFromProposal,
  emptyDraft,
  proposalFromDraft,
  type GeolocationDraft,
} from "./geolocationDraft.js";
import { saveSnapshot } from "./mapSnapshotSave.js";
import { RADIUS_FIELD, readNumber } from "./numberText.js";
import { NumberTextField } from "./NumberTextField.js";
import type { MapRef, Overlay, Picking } from "./workspaceTypes.js";

export function GeolocationForm({
  connection,
  dir,
  item,
  current,
  frame,
  mapRef,
  picking,
  isActive,
  onOverlay,
}: {
  connection: Connection;
  dir: string;
  item: ItemDetail;
  /** The proposal a save would revise: the item's current one, if any. */
  current: GeolocationInfo | null;
  frame: FrameChoice | null;
  mapRef: MapRef;
  picking: Picking;
  isActive: boolean;
  onOverlay: (o: Overlay) => void;
}) {
  const { api } = connection.client;
  const [draft, setDraft] = useState<GeolocationDraft>(() => (current ? draftFromProposal(current) : emptyDraft(item)));
  const [isDrawing, setDrawing] = useState(false);
  const [isSaving, setSaving] = useState(false);
  // The radius as typed; the draft holds the number it states (NaN when none).
  const [radiusText, setRadiusText] = useState(() => (Number.isFinite(draft.radiusM) ? String(draft.radiusM) : ""));
  const { problem, setProblem, notice, setNotice, problems, begin, reportCoordinate } = useFormChecks(
    useMemo(() => withRadiusRead(checkGeolocationDraft(draft), draft, radiusText), [draft, radiusText]),
  );
  const set = (patch: Partial<GeolocationDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const located = draft.outcome === "located";

  const overlay = useMemo((): Overlay => {
    const mapMarkers: MapMarker[] = [
      ...draft.clues.flatMap((c, i) =>
        c.map ? [{ id: `clue-${c.id}`, ...c.map, label: String(i + 1), kind: "clue" as const }] : [],
      ),
      ...draft.claims.flatMap((c, i) =>
        c.location ? [{ id: `claim-${i}`, ...c.location, label: `Claim ${i + 1}`, kind: "claim" as const }] : [],
      ),
      ...draft.eliminated.flatMap((e, i) =>
        e.location ? [{ id: `elim-${e.id}`, ...e.location, label: `✕ ${i + 1}`, kind: "eliminated" as const }] : [],
      ),
      ...(located && draft.shape === "point" && draft.point
        ? [{ id: "place", ...draft.point, label: "Place", kind: "place" as const }]
        : []),
    ];
    const frameMarks: FrameMark[] = draft.clues.flatMap((c, i) =>
      c.frame && frame && c.frame.image === frame.image
        ? [{ id: c.id, x: c.frame.x, y: c.frame.y, label: String(i + 1), colour: "#b03a09" }]
        : [],
    );
    return {
      frameMarks,
      frameLines: [],
      mapMarkers,
      area: located && draft.shape === "area" ? draft.ring : null,
      onAreaChange: isDrawing ? (ring) => set({ ring }) : null,
      sun: null,
    };
  }, [draft, frame, located, isDrawing]);
  useEffect(() => {
    if (isActive) onOverlay(overlay);
  }, [isActive, overlay, onOverlay]);

  const save = async () => {
    if (!begin()) return;
    const body = proposalFromDraft(draft, current?.ref ?? null);
    if (!body.ok) return setProblem(body.reason);
    setSaving(true);
    try {
      const shot = await saveSnapshot(api, dir, item.sha256, mapRef);
      const r = await api.proposeGeolocation({ dir, sha256: item.sha256, ...body.value, snapshot: shot.snapshot });
      if (!r.ok) return setProblem(r.error.message);
      setNotice(
        recordedNotice(r.value.seq, current) +
          (shot.failure ? ` No map snapshot was kept: ${shot.failure}.` : " The map as shown was kept with it."),
      );
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack gap="sm" aria-label="Geolocation form">
      <Title order={3} size="h6">
        What is claimed
      </Title>
      <ClaimsEditor
        formId="geo"
        claims={draft.claims}
        onChange={(claims) => set({ claims })}
        problems={problems}
        onCoordinateProblem={reportCoordinate}
      />

      <Title order={3} size="h6">
        What you found
      </Title>
      <SegmentedControl
        aria-label="Outcome"
        value={draft.outcome}
        onChange={(v) => set({ outcome: v as GeolocationDraft["outcome"] })}
        data={[
          { value: "located", label: "Located" },
          { value: "cannot-geolocate", label: "Cannot be geolocated" },
        ]}
      />
      {!located && (
        <FormTextarea
          id={FIELD_IDS.cannotReason}
          problems={problems}
          label="Why it cannot be geolocated"
          minRows={2}
          value={draft.cannotReason}
          onValue={(cannotReason) => set({ cannotReason })}
        />
      )}
      {located && (
        <>
          <SegmentedControl
            aria-label="Place is"
            value={draft.shape}
            onChange={(v) => set({ shape: v as GeolocationDraft["shape"] })}
            data={[
              { value: "point", label: "A point" },
              { value: "area", label: "An area" },
            ]}
          />
          {draft.shape === "point" ? (
            <Group align="flex-end" gap="xs" wrap="nowrap">
              <div style={{ flex: 1 }}>
                <CoordinateField
                  label="Place"
                  id={FIELD_IDS.place}
                  error={problems.get(FIELD_IDS.place)}
                  onProblem={reportCoordinate}
                  value={draft.point}
                  onChange={(point) => set({ point })}
                />
              </div>
              <Button
                size="xs"
                variant="default"
                onClick={() => picking.onMap("the place", (point) => set({ point }))}
                mb={draft.point || problems.has(FIELD_IDS.place) ? 22 : 0}
              >
                Pick on map
              </Button>
            </Group>
          ) : (
            <Group gap="xs">
              <Button
                size="xs"
                id={FIELD_IDS.area}
                variant={isDrawing ? "filled" : "default"}
                onClick={() => setDrawing((d) => !d)}
                aria-invalid={problems.has(FIELD_IDS.area) || undefined}
                aria-describedby={problems.has(FIELD_IDS.area) ? `${FIELD_IDS.area}-error` : undefined}
              >
                {isDrawing ? "Finish the area" : "Draw the area on the map"}
              </Button>
              <Button size="xs" variant="subtle" onClick={() => set({ ring: [] })} disabled={draft.ring.length === 0}>
                Clear the area
              </Button>
              <Text size="xs" c="dimmed">
                {draft.ring.length} corner{draft.ring.length === 1 ? "" : "s"}
                {isDrawing ? " · click the map to add corners" : ""}
              </Text>
              {problems.has(FIELD_IDS.area) && (
                <Text size="xs" c="var(--mantine-color-error)" id={`${FIELD_IDS.area}-error`} w="100%">
                  {problems.get(FIELD_IDS.area)}
                </Text>
              )}
            </Group>
          )}
          <Group gap="xs" grow align="flex-start">
            <Select
              label="Precision"
              data={PRECISION_CLASSES.map((c) => ({ value: c, label: PRECISION_LABELS[c] }))}
              value={draft.precision}
              onChange={(v) => v && set({ precision: v as PrecisionClass })}
              allowDeselect={false}
            />
            <Select
              id={FIELD_IDS.confidence}
              error={problems.get(FIELD_IDS.confidence)}
              label="Confidence"
              placeholder="how sure are you?"
              data={CONFIDENCE_LEVELS.map((c) => ({ value: c, label: CONFIDENCE_LABELS[c] }))}
              value={draft.confidence}
              onChange={(v) => set({ confidence: v as ConfidenceLevel | null })}
            />
          </Group>
          {draft.precision === "radius" && (
            <NumberTextField
              id={FIELD_IDS.radius}
              error={problems.get(FIELD_IDS.radius)}
              label="Radius in metres"
              description="Up to 1,000 km (1,000,000 m)"
              field={RADIUS_FIELD}
              text={radiusText}
              onText={(text) => {
                const read = readNumber(text, RADIUS_FIELD);
                setRadiusText(text);
                set({ radiusM: read.ok ? read.value : Number.NaN });
              }}
            />
          )}
        </>
      )}

      <Title order={3} size="h6">
        Clues ({draft.clues.length})
      </Title>
      <CluesEditor
        clues={draft.clues}
        onChange={(update) => setDraft((d) => ({ ...d, clues: update(d.clues) }))}
        picking={picking}
        problems={problems}
      />
      <Title order={3} size="h6">
        Places considered and eliminated
      </Title>
      <EliminatedEditor
        eliminated={draft.eliminated}
        onChange={(eliminated) => set({ eliminated })}
        problems={problems}
        onCoordinateProblem={reportCoordinate}
      />
      <FormTextarea
        id={FIELD_IDS.method}
        problems={problems}
        label="Method and reasoning"
        minRows={3}
        value={draft.method}
        onValue={(method) => set({ method })}
      />
      <Checkbox
        label="Sensitive location"
        description="The place could expose a witness or a source: exports round it to about 1 km or leave it out, unless whoever exports chooses to include it."
        checked={draft.sensitive}
        onChange={(e) => set({ sensitive: e.currentTarget.checked })}
      />
      <FormSave
        problem={problem}
        notice={notice}
        label={current ? "Save revision" : "Save geolocation"}
        onSave={() => void save()}
        isSaving={isSaving}
        hint={
          current
            ? `Saving makes a revision of proposal #${current.ref.seq}; that one stays in the ledger.`
            : "Saving keeps a snapshot of the map as shown with the proposal."
        }
      />
    </Stack>
  );
}

/**
 * The draft's problems, with the radius's own reason when its text states no number it accepts
 * (letters, a comma, hidden characters...) in place of the draft's: one reason per field.
 */
function withRadiusRead(problems: FieldProblem[], draft: GeolocationDraft, radiusText: string): FieldProblem[] {
  if (draft.outcome !== "located" || draft.precision !== "radius") return problems;
  const read = readNumber(radiusText, RADIUS_FIELD);
  if (read.ok) return problems;
  return [{ field: FIELD_IDS.radius, reason: read.reason }, ...problems.filter((p) => p.field !== FIELD_IDS.radius)];
}
