/**
 * The parts of a scorecard as a table a trainee reads line by line: what was asked, the plain
 * sentence the scorer wrote for it (`summary`), the figures behind it (distance in m or km,
 * minutes off, what caught a trap), and the points. File names and texts are shown inert.
 */
import { Badge, Table, Text } from "@mantine/core";
import type { ReactNode } from "react";
import type { Scorecard, ScoreLine } from "../../../../shared/api/trainingContract.js";
import { formatDecimal } from "../../../../shared/geo/coordinates.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { statusWords, warningTitle } from "../../../../shared/text/plainWords.js";
import { TRAP_KIND_WORDS, formatDistance, formatInstant, formatMinutes, formatPoints } from "./trainingText.js";

function Row({ part, line, detail }: { part: ReactNode; line: ScoreLine; detail?: ReactNode }) {
  const full = line.points >= line.maxPoints;
  return (
    <Table.Tr>
      <Table.Td style={{ verticalAlign: "top", width: "30%" }}>{part}</Table.Td>
      <Table.Td style={{ verticalAlign: "top" }}>
        <Text size="sm">{inertText(line.summary)}</Text>
        {detail && (
          <Text size="xs" c="dimmed" mt={2} component="div">
            {detail}
          </Text>
        )}
      </Table.Td>
      <Table.Td style={{ verticalAlign: "top", whiteSpace: "nowrap", textAlign: "right" }}>
        <Text size="sm" fw={full ? 700 : 500}>
          {formatPoints(line.points)} / {formatPoints(line.maxPoints)}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

function PartName({ kind, name }: { kind: string; name: string }) {
  return (
    <>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {kind}
      </Text>
      <Text size="sm" fw={600} style={{ overflowWrap: "anywhere" }}>
        {inertText(name)}
      </Text>
    </>
  );
}

export function ScoreParts({ card }: { card: Scorecard }) {
  return (
    <Table aria-label="Points per part" verticalSpacing="xs" striped="even" withTableBorder>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Part</Table.Th>
          <Table.Th>What the scorer found</Table.Th>
          <Table.Th style={{ textAlign: "right" }}>Points</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {card.locations.map((l) => (
          <Row
            key={`loc-${l.sha256}`}
            part={<PartName kind="Where" name={l.fileName} />}
            line={l}
            detail={
              l.given && (
                <>
                  Your answer {formatDecimal(l.given.place)}
                  {l.distanceM !== null && <>, {formatDistance(l.distanceM)} from the answer</>} (tolerance{" "}
                  {formatDistance(l.toleranceM)}).
                </>
              )
            }
          />
        ))}
        {card.times.map((t) => (
          <Row
            key={`time-${t.sha256}`}
            part={<PartName kind="When" name={t.fileName} />}
            line={t}
            detail={
              t.given?.window ? (
                <>
                  Your window {formatInstant(t.given.window.from)} to {formatInstant(t.given.window.to)}
                  {t.minutesOff !== null && (
                    <>; {t.minutesOff === 0 ? "it overlaps the answer" : `${formatMinutes(t.minutesOff)} off`}</>
                  )}{" "}
                  (tolerance {formatMinutes(t.toleranceMinutes)}).
                </>
              ) : null
            }
          />
        ))}
        {card.traps.map((t) => (
          <Row
            key={`trap-${t.id}`}
            part={
              <>
                <PartName kind="Trap" name={t.title} />
                <Text size="xs" c="dimmed" style={{ overflowWrap: "anywhere" }}>
                  {TRAP_KIND_WORDS[t.kind] ?? t.kind} · {inertText(t.fileName)}
                </Text>
              </>
            }
            line={t}
            detail={
              <>
                <Badge size="xs" variant="light" color={t.caught ? "teal" : "red"} mr={6}>
                  {t.caught ? "caught" : "missed"}
                </Badge>
                {t.caughtBy?.kind === "status" &&
                  `by the status “${statusWords(t.caughtBy.status)}” (event ${t.caughtBy.event.seq})`}
                {t.caughtBy && t.caughtBy.kind !== "status" && (
                  <>
                    {t.caughtBy.kind === "warning"
                      ? `by acknowledging the warning “${warningTitle(t.caughtBy.code)}”`
                      : `by a ${t.caughtBy.kind}`}{" "}
                    (event {t.caughtBy.event.seq}): “{inertText(t.caughtBy.text.slice(0, 200))}”
                  </>
                )}
              </>
            }
          />
        ))}
        <Row
          part={<PartName kind="Reasoning" name="Clues, matches, confidence" />}
          line={card.reasoning}
          detail={card.reasoning.items.map((i) => (
            <div key={i.sha256}>
              {inertText(i.fileName)}: {i.clueCount} clue{i.clueCount === 1 ? "" : "s"}, {i.independentMatches}{" "}
              independent match{i.independentMatches === 1 ? "" : "es"}, confidence{" "}
              {i.confidenceStated ? "stated" : "not stated"}.
            </div>
          ))}
        />
      </Table.Tbody>
    </Table>
  );
}
