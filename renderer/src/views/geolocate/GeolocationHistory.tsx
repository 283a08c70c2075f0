/**
 * The item's geolocation proposals, newest first (current and replaced), each with who proposed
 * it and when, its confidence, precision and clues, the map snapshot kept with it, and its
 * reviews; and the review form, which the examiner who proposed a geolocation is not offered.
 */
import { Alert, Badge, Box, Button, Group, SegmentedControl, Stack, Text, Textarea } from "@mantine/core";
import { useEffect, useMemo, useState, type ReactNode } from "react";
import type { ExaminerSettingsInfo, ItemDetail } from "../../../../shared/api/contract.js";
import type { GeolocationInfo } from "../../../../shared/api/geoContract.js";
import { formatDecimal } from "../../../../shared/geo/coordinates.js";
import { resamplingWords } from "../../../../shared/geo/snapshotResampling.js";
import { inertText } from "../../../../shared/text/inertText.js";
import type { Connection } from "../../connection.js";
import type { MapMarker } from "../map/mapTypes.js";
import { useFileUrl } from "../item/useFileUrl.js";
import { CONFIDENCE_COLOURS, CONFIDENCE_LABELS, precisionLabel, utcLabel } from "./geoLabels.js";
import { frameChoices, type FrameChoice } from "./FramePanel.js";
import { clueFrameMarks, clueMapMarkers, frameForClues, RecordedClues } from "./RecordedClues.js";
import { EMPTY_OVERLAY, type Overlay } from "./workspaceTypes.js";

function placeText(g: GeolocationInfo): string {
  const p = g.payload;
  if (p.outcome !== "located" || !p.place) return `Cannot be geolocated: ${p.cannotReason ?? ""}`;
  const where = p.place.shape === "point" ? formatDecimal(p.place) : `an area of ${p.place.ring.length} corners`;
  const precision = p.precision ? precisionLabel(p.precision) : "";
  return `${where} · ${precision}`;
}

export function GeolocationHistory({
  connection,
  dir,
  item,
  geolocations,
  examiner,
  isActive,
  onOverlay,
  frame,
  onFrameChange,
  isRevealed,
}: {
  connection: Connection;
  dir: string;
  item: ItemDetail;
  geolocations: GeolocationInfo[];
  examiner: ExaminerSettingsInfo["examiner"] | null;
  isActive: boolean;
  onOverlay: (o: Overlay) => void;
  /** Whether the item's media is revealed: a map snapshot may hold the frame overlaid on the map. */
  isRevealed: boolean;
  /** The frame shown now, and a way to show another: a proposal's clues are drawn on theirs. */
  frame: FrameChoice | null;
  onFrameChange: (f: FrameChoice) => void;
}) {
  const newestFirst = useMemo(() => [...geolocations].sort((a, b) => b.ref.seq - a.ref.seq), [geolocations]);
  const choices = useMemo(() => frameChoices(item), [item]);
  // The proposal whose clues are shown: the current one until another is opened.
  const [openHash, setOpenHash] = useState<string | null>(null);
  const opened =
    newestFirst.find((g) => g.ref.hash === openHash) ?? newestFirst.find((g) => g.replacedBy === null) ?? null;
  // Opened, its clues go on the frame they were taken on (the first clue's, if none is on this one).
  useEffect(() => {
    const next = isActive && opened ? frameForClues(opened, frame, choices) : null;
    if (next) onFrameChange(next);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [isActive, opened?.ref.hash]);
  const overlay = useMemo(
    (): Overlay => ({
      ...EMPTY_OVERLAY,
      frameMarks: opened ? clueFrameMarks(opened, frame) : [],
      mapMarkers: [
        ...(opened ? clueMapMarkers(opened) : []),
        ...newestFirst.flatMap((g): MapMarker[] =>
          g.payload.place?.shape === "point"
            ? [
                {
                  id: g.ref.hash,
                  lat: g.payload.place.lat,
                  lon: g.payload.place.lon,
                  label: `#${g.ref.seq}`,
                  kind: "place",
                },
              ]
            : [],
        ),
      ],
      area: opened?.payload.place?.shape === "area" ? opened.payload.place.ring : null,
    }),
    [newestFirst, opened, frame],
  );
  useEffect(() => {
    if (isActive) onOverlay(overlay);
  }, [isActive, overlay, onOverlay]);

  if (newestFirst.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No geolocation of {inertText(item.name)} has been proposed yet.
      </Text>
    );
  }
  return (
    <Stack gap="sm" aria-label="Geolocation history">
      {newestFirst.map((g) => (
        <ProposalCard
          key={g.ref.hash}
          connection={connection}
          dir={dir}
          proposal={g}
          examiner={examiner}
          isRevealed={isRevealed}
          clues={
            g === opened ? (
              <RecordedClues proposal={g} frame={frame} choices={choices} onFrameChange={onFrameChange} />
            ) : null
          }
          onOpen={g === opened || g.payload.clues.length === 0 ? null : () => setOpenHash(g.ref.hash)}
        />
      ))}
    </Stack>
  );
}

interface ProposalProps {
  connection: Connection;
  dir: string;
  proposal: GeolocationInfo;
  examiner: ExaminerSettingsInfo["examiner"] | null;
}

function ProposalCard({
  connection,
  dir,
  proposal: g,
  examiner,
  clues,
  onOpen,
  isRevealed,
}: ProposalProps & { clues: ReactNode; onOpen: (() => void) | null; isRevealed: boolean }) {
  const p = g.payload;
  // A snapshot is the map as it was shown, the frame overlaid on it if it was: veiled with the media.
  const [snapshotUrl, snapshotFailure] = useFileUrl(connection, dir, isRevealed ? (p.snapshot?.path ?? null) : null);
  const isCurrent = g.replacedBy === null;
  return (
    <Box
      p="xs"
      role="article"
      aria-label={`Proposal #${g.ref.seq}`}
      style={{
        border: `1px solid var(--mantine-color-${isCurrent ? "teal-7" : "default-border"})`,
        borderRadius: 4,
      }}
    >
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text size="sm" fw={600}>
          #{g.ref.seq} by {inertText(g.actorName)}
        </Text>
        <Badge variant="light" color={isCurrent ? "teal" : "gray"}>
          {isCurrent ? "current" : `replaced by #${g.replacedBy!.seq}`}
        </Badge>
      </Group>
      <Text size="xs" c="dimmed" className="mono">
        {utcLabel(g.ts)}
        {p.replaces ? ` · revises #${p.replaces.seq}` : ""}
      </Text>
      <Group gap={6} mt={4}>
        {p.confidence && (
          <Badge color={CONFIDENCE_COLOURS[p.confidence]} variant="light" size="sm">
            {CONFIDENCE_LABELS[p.confidence]}
          </Badge>
        )}
        {p.sensitive && (
          <Badge color="orange" variant="outline" size="sm">
            sensitive location
          </Badge>
        )}
        <Text size="xs">
          {p.clues.length} clue{p.clues.length === 1 ? "" : "s"} · {p.eliminated.length} eliminated · {p.claims.length}{" "}
          claim{p.claims.length === 1 ? "" : "s"}
        </Text>
      </Group>
      <Text size="xs" mt={2} className="mono">
        {inertText(placeText(g))}
      </Text>
      {clues}
      {!clues && p.clues.length > 0 && (
        <Text size="xs" c="dimmed">
          Clues: {p.clues.map((c, i) => `${i + 1}. ${inertText(c.what)}`).join(" · ")}
        </Text>
      )}
      {onOpen && (
        <Button size="compact-xs" variant="subtle" onClick={onOpen}>
          Show the clues of #{g.ref.seq} on the frame and the map
        </Button>
      )}
      {p.method && (
        <Text size="xs" mt={2} style={{ whiteSpace: "pre-wrap" }} lineClamp={6}>
          {inertText(p.method)}
        </Text>
      )}
      {snapshotUrl && (
        <img
          src={snapshotUrl}
          alt={`Map snapshot kept with proposal #${g.ref.seq}`}
          style={{ width: "100%", marginTop: 6, border: "1px solid var(--mantine-color-default-border)" }}
        />
      )}
      {p.snapshot &&
        (g.snapshotResampling ?? []).map((r, i) => (
          <Text key={i} size="xs" c="dimmed" data-testid="snapshot-resampling">
            {resamplingWords(r)}
          </Text>
        ))}
      {p.snapshot && !isRevealed && (
        <Text size="xs" c="dimmed">
          A map snapshot is kept with this proposal: hidden while the media is veiled, as it may show the frame.
        </Text>
      )}
      {snapshotFailure && (
        <Text size="xs" c="orange">
          The map snapshot cannot be shown: {inertText(snapshotFailure)}
        </Text>
      )}
      {!p.snapshot && (
        <Text size="xs" c="dimmed">
          No map snapshot was kept with this proposal.
        </Text>
      )}
      <Stack gap={4} mt={6} role="group" aria-label={`Reviews of proposal #${g.ref.seq}`}>
        {g.reviews.map((r) => (
          <Text key={r.ref.hash} size="xs">
            <Badge size="xs" color={r.payload.verdict === "agree" ? "teal" : "red"} mr={4}>
              {r.payload.verdict === "agree" ? "agrees" : "disagrees"}
            </Badge>
            {inertText(r.actorName)}, {utcLabel(r.ts)}: {inertText(r.payload.reason)}
          </Text>
        ))}
      </Stack>
      {isCurrent && <ReviewForm connection={connection} dir={dir} proposal={g} examiner={examiner} />}
    </Box>
  );
}

function ReviewForm({ connection, dir, proposal: g, examiner }: ProposalProps) {
  const [verdict, setVerdict] = useState<"agree" | "disagree">("agree");
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  if (examiner && examiner.keyId === g.actor) {
    return (
      <Text size="xs" c="dimmed" mt={6}>
        You proposed this geolocation, so you cannot review it: a second examiner must open the case and review it.
      </Text>
    );
  }
  const own = examiner ? g.reviews.find((r) => r.actor === examiner.keyId) : undefined;
  if (own) {
    return (
      <Text size="xs" c="dimmed" mt={6}>
        You reviewed this proposal on {utcLabel(own.ts)}. A revision of it would need a review of its own.
      </Text>
    );
  }
  const record = async () => {
    setProblem(null);
    const r = await connection.client.api.reviewGeolocation({
      dir,
      sha256: g.payload.sha256,
      geolocation: g.ref,
      verdict,
      reason,
    });
    if (!r.ok) return setProblem(r.error.message);
    setReason("");
  };
  return (
    <Stack gap={4} mt={6} aria-label={`Review proposal #${g.ref.seq}`} role="group">
      <SegmentedControl
        size="xs"
        aria-label="Your verdict"
        value={verdict}
        onChange={(v) => setVerdict(v as "agree" | "disagree")}
        data={[
          { value: "agree", label: "I agree" },
          { value: "disagree", label: "I disagree" },
        ]}
      />
      <Textarea
        size="xs"
        label="Why"
        autosize
        minRows={2}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
      />
      {problem && (
        <Alert color="red" p={4} role="alert">
          {inertText(problem)}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button size="xs" onClick={() => void record()} disabled={!reason.trim()}>
          Record review
        </Button>
      </Group>
    </Stack>
  );
}
