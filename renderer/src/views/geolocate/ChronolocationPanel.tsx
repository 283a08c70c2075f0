/**
 * When the item was made, as far as the sun tells: the place (the current geolocation, or picked)
 * and the date; a slider over the day with the sun's azimuth and elevation and the shadow
 * direction drawn on the map; shadows measured on the frame and the times of day they fit; the
 * claimed times beside the verifier's estimate. Records a chronolocation.recorded event.
 */
import { Button, Group, Slider, Stack, Text, TextInput, Title } from "@mantine/core";
import { useEffect, useMemo, useState } from "react";
import type { ItemDetail } from "../../../../shared/api/contract.js";
import type { ChronolocationInfo, GeolocationInfo } from "../../../../shared/api/geoContract.js";
import { sunPosition } from "../../../../shared/geo/sunPosition.js";
import { isCalendarDay, type Claim, type LatLonValue } from "../../../../shared/ledger/geoEvents.js";
import type { Connection } from "../../connection.js";
import { checkChronolocation, estimatedWindow, localClock, type EstimateText } from "./chronoChecks.js";
import { offsetLabel, offsetOf, WAITING_FOR_OFFSET, type Window } from "./chronoMath.js";
import { ClaimsEditor } from "./ClaimsEditor.js";
import { FormSave, recordedNotice } from "./FormOutcome.js";
import { FormTextarea } from "./FormTextarea.js";
import { CoordinateField } from "./CoordinateField.js";
import type { FrameChoice, FrameLine, FrameMark } from "./FramePanel.js";
import { ChronoEstimate } from "./ChronoEstimate.js";
import { FIELD_IDS, useFormChecks } from "./formChecks.js";
import { readNumber, UTC_OFFSET_FIELD } from "./numberText.js";
import { NumberTextField } from "./NumberTextField.js";
import { metadataClaims } from "./geolocationDraft.js";
import { shadowResult, type ShadowDraft } from "./shadowDraft.js";
import { ShadowMeasures } from "./ShadowMeasures.js";
import { EMPTY_OVERLAY, type Overlay, type Picking } from "./workspaceTypes.js";

/** A geolocation's point, or the middle of its area's corners. */
function placeOf(g: GeolocationInfo | null): LatLonValue | null {
  const place = g?.payload.place;
  if (!place) return null;
  if (place.shape === "point") return { lat: place.lat, lon: place.lon };
  const n = place.ring.length;
  return { lat: place.ring.reduce((s, p) => s + p.lat, 0) / n, lon: place.ring.reduce((s, p) => s + p.lon, 0) / n };
}

/** The offset field's id, for its refusal to be shown beside it and focused. */
const OFFSET_FIELD_ID = "chrono-offset";

export function ChronolocationPanel({
  connection,
  dir,
  item,
  geolocation,
  current,
  frame,
  picking,
  isActive,
  onOverlay,
}: {
  connection: Connection;
  dir: string;
  item: ItemDetail;
  geolocation: GeolocationInfo | null;
  current: ChronolocationInfo | null;
  frame: FrameChoice | null;
  picking: Picking;
  isActive: boolean;
  onOverlay: (o: Overlay) => void;
}) {
  const captured = item.metadata?.metadata.capturedAt ?? null;
  const [place, setPlace] = useState<LatLonValue | null>(current?.payload.place ?? placeOf(geolocation));
  const [date, setDate] = useState(current?.payload.date ?? captured?.slice(0, 10) ?? "");
  // The offset as typed, and the minutes it states: null while it states none the form accepts, and
  // then nothing worked out at the place's clock (the sun, local times, windows) is shown as if known.
  const [offsetText, setOffsetText] = useState(() => String(offsetOf(captured) ?? 0));
  const offsetRead = useMemo(() => readNumber(offsetText, UTC_OFFSET_FIELD), [offsetText]);
  const offset = offsetRead.ok ? offsetRead.value : null;
  const [minute, setMinute] = useState(12 * 60);
  const [claims, setClaims] = useState<Claim[]>(
    current?.payload.claims ?? (geolocation?.payload.claims.filter((c) => c.time) || metadataClaims(item)),
  );
  const [shadows, setShadows] = useState<ShadowDraft[]>([]);
  const [estimate, setEstimate] = useState<EstimateText>(() => ({
    from: current?.payload.window ? localClock(current.payload.window.from, offsetOf(captured) ?? 0) : "",
    to: current?.payload.window ? localClock(current.payload.window.to, offsetOf(captured) ?? 0) : "",
  }));
  const [chosen, setChosen] = useState<Window | null>(current?.payload.window ?? null);
  const [method, setMethod] = useState(current?.payload.method ?? "");

  // A geolocation saved after this panel opened gives the place, unless one was set here.
  const geolocated = placeOf(geolocation);
  useEffect(() => {
    if (geolocated) setPlace((p) => p ?? geolocated);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [geolocation?.ref.hash]);

  const results = useMemo(
    () => shadows.map((s) => shadowResult(s, place, date, offset)),
    [shadows, place, date, offset],
  );
  const windows = useMemo(
    () => results.flatMap((r) => (r.ok && r.windows ? r.windows : [])).sort((a, b) => a.from.localeCompare(b.from)),
    [results],
  );
  const recorded = offset === null ? null : estimatedWindow(estimate, chosen, date, offset);
  const { problem, setProblem, notice, setNotice, problems, begin, reportCoordinate } = useFormChecks(
    useMemo(
      () => [
        ...(offsetRead.ok ? [] : [{ field: OFFSET_FIELD_ID, reason: offsetRead.reason }]),
        ...checkChronolocation({ place, date, shadows, results, estimate, claims, method }),
      ],
      [offsetRead, place, date, shadows, results, estimate, claims, method],
    ),
  );
  const isDateValid = isCalendarDay(date);
  const instant = isDateValid && offset !== null ? Date.parse(`${date}T00:00:00Z`) + (minute - offset) * 60_000 : null;
  const sun = useMemo(
    () => (place && instant !== null ? sunPosition(place, new Date(instant)) : null),
    [place, instant],
  );

  const overlay = useMemo((): Overlay => {
    const onFrame = shadows.filter((s) => s.frame && frame && s.frame.image === frame.image);
    const frameMarks: FrameMark[] = onFrame.flatMap((s) => {
      const n = shadows.indexOf(s) + 1;
      return (
        [
          [s.objectBase, `${n}B`, "#1864ab"],
          [s.objectTop, `${n}T`, "#1864ab"],
          [s.shadowBase, `${n}S`, "#b03a09"],
          [s.shadowTip, `${n}E`, "#b03a09"],
        ] as const
      ).flatMap(([p, label, colour]) => (p ? [{ id: `${s.id}-${label}`, ...p, label, colour }] : []));
    });
    const frameLines: FrameLine[] = onFrame.flatMap((s) => [
      ...(s.objectBase && s.objectTop
        ? [{ id: `${s.id}-o`, from: s.objectBase, to: s.objectTop, colour: "#4dabf7" }]
        : []),
      ...(s.shadowBase && s.shadowTip
        ? [{ id: `${s.id}-s`, from: s.shadowBase, to: s.shadowTip, colour: "#ff922b" }]
        : []),
    ]);
    return {
      ...EMPTY_OVERLAY,
      frameMarks,
      frameLines,
      mapMarkers: place ? [{ id: "chrono-place", ...place, label: "Place", kind: "place" }] : [],
      sun: place && sun ? { place, azimuthDeg: sun.azimuth, elevationDeg: sun.elevation } : null,
    };
  }, [shadows, frame, place, sun]);
  useEffect(() => {
    if (isActive) onOverlay(overlay);
  }, [isActive, overlay, onOverlay]);

  const record = async () => {
    if (!begin() || !place) return;
    const measured = [];
    for (const [i, s] of shadows.entries()) {
      const r = results[i]!;
      if (!r.ok || !r.windows)
        return setProblem(`Shadow ${i + 1}: ${r.ok ? `its times of day are ${WAITING_FOR_OFFSET}.` : r.reason}`);
      measured.push({
        frame: s.frame!,
        what: s.what,
        object: s.mode === "frame" ? { base: s.objectBase!, top: s.objectTop! } : null,
        knownHeightM: s.mode === "known" ? s.knownHeightM : null,
        shadow: { base: s.shadowBase!, tip: s.shadowTip! },
        ratio: r.ratio,
        shadowBearingDeg: s.bearingDeg,
        elevationDeg: r.elevationDeg,
        windows: r.windows,
      });
    }
    const r = await connection.client.api.recordChronolocation({
      dir,
      sha256: item.sha256,
      replaces: current?.ref ?? null,
      place,
      date,
      claims,
      window: recorded,
      shadows: measured,
      method,
    });
    if (!r.ok) return setProblem(r.error.message);
    setNotice(recordedNotice(r.value.seq, current));
  };

  const clock = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
  return (
    <Stack gap="sm" aria-label="Chronolocation">
      <Title order={3} size="h6">
        Where and which day
      </Title>
      <Group align="flex-end" gap="xs" wrap="nowrap">
        <div style={{ flex: 1 }}>
          <CoordinateField
            label="Place for the sun"
            id={FIELD_IDS.chronoPlace}
            error={problems.get(FIELD_IDS.chronoPlace)}
            onProblem={reportCoordinate}
            value={place}
            onChange={setPlace}
          />
        </div>
        <Button
          size="xs"
          variant="default"
          onClick={() => picking.onMap("the place for the sun", (p) => setPlace(p))}
          mb={place || problems.has(FIELD_IDS.chronoPlace) ? 22 : 0}
        >
          Pick on map
        </Button>
      </Group>
      {geolocation && placeOf(geolocation) && (
        <Button
          size="compact-xs"
          variant="subtle"
          onClick={() => setPlace(placeOf(geolocation))}
          style={{ alignSelf: "flex-start" }}
        >
          Use the current geolocation (#{geolocation.ref.seq})
        </Button>
      )}
      <Group gap="xs" grow align="flex-start">
        <TextInput
          id={FIELD_IDS.chronoDate}
          label="Date at the place"
          type="date"
          value={date}
          onChange={(e) => setDate(e.currentTarget.value)}
          error={problems.get(FIELD_IDS.chronoDate) ?? (date && !isDateValid ? "a date is YYYY-MM-DD" : undefined)}
        />
        <NumberTextField
          id={OFFSET_FIELD_ID}
          label="Offset from UTC (minutes)"
          description={offset === null ? undefined : offsetLabel(offset)}
          // Its reason shows as soon as the text states no offset, not only once a save is refused:
          // the figures below wait on it.
          error={problems.get(OFFSET_FIELD_ID) ?? (offsetRead.ok ? undefined : offsetRead.reason)}
          field={UTC_OFFSET_FIELD}
          text={offsetText}
          onText={setOffsetText}
        />
      </Group>
      <Text size="sm" id="sun-slider-label">
        Time of day: {clock(minute)} local
        {offset === null
          ? `; the time in UTC is ${WAITING_FOR_OFFSET}`
          : ` (${offsetLabel(offset)}), ${instant !== null ? new Date(instant).toISOString().slice(11, 16) : "--:--"} UTC`}
      </Text>
      <Slider
        aria-labelledby="sun-slider-label"
        thumbLabel="Time of day"
        min={0}
        max={24 * 60 - 1}
        step={5}
        value={minute}
        onChange={setMinute}
        label={clock}
      />
      <Text size="sm" aria-label="Sun position" className="mono">
        {sun
          ? `Sun azimuth ${sun.azimuth.toFixed(1)}° · elevation ${sun.elevation.toFixed(1)}°${sun.elevation <= 0 ? " (below the horizon)" : ` · shadows point ${sun.shadowAzimuth.toFixed(1)}°`}`
          : place && isDateValid
            ? `The sun's position is ${WAITING_FOR_OFFSET}.`
            : "Set the place and the date to see the sun."}
      </Text>
      <Title order={3} size="h6">
        Shadows on the frame
      </Title>
      <ShadowMeasures
        shadows={shadows}
        results={results}
        utcOffsetMinutes={offset}
        onChange={setShadows}
        picking={picking}
        problems={problems}
      />
      <Title order={3} size="h6">
        Claimed times and your estimate
      </Title>
      <ChronoEstimate
        claims={claims}
        windows={windows}
        offset={offset}
        estimate={estimate}
        chosen={recorded === chosen ? chosen : null}
        recorded={recorded}
        problems={problems}
        onEstimate={(e, w) => {
          setEstimate(e);
          setChosen(w);
        }}
      />
      <ClaimsEditor
        formId="chrono"
        claims={claims}
        onChange={setClaims}
        problems={problems}
        onCoordinateProblem={reportCoordinate}
      />
      <FormTextarea
        id={FIELD_IDS.chronoMethod}
        problems={problems}
        label="Method (chronolocation)"
        minRows={2}
        value={method}
        onValue={setMethod}
      />
      <FormSave
        problem={problem}
        notice={notice}
        label={current ? "Save chronolocation revision" : "Record chronolocation"}
        onSave={() => void record()}
      />
    </Stack>
  );
}
