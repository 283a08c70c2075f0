/**
 * The scorecard after submission, beside the model answer: the total, points per part as plain
 * sentences, hints used and lateness, and the exports (PDF, JSON). The answer key's content is
 * only ever seen here, after the work was frozen (the service refuses the scorecard before).
 */
import { Alert, Badge, Grid, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useEffect, useState } from "react";
import type { Connection } from "../../connection.js";
import type { ScorecardInfo } from "../../../../shared/api/trainingContract.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { InertLines } from "./InertLines.js";
import { ScoreParts } from "./ScoreParts.js";
import { ScorecardExports } from "./ScorecardExports.js";
import { formatInstant, formatPoints, timeTakenText } from "./trainingText.js";
import { AppModal } from "../../components/AppModal.js";

export function ScorecardDialog({
  connection,
  dir,
  initial,
  onClose,
}: {
  connection: Connection;
  dir: string;
  /** The scorecard the submission returned, when there is one; otherwise it is read. */
  initial: ScorecardInfo | null;
  onClose: () => void;
}) {
  const [info, setInfo] = useState<ScorecardInfo | null>(initial);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (initial) return;
    let alive = true;
    void connection.client.api.getScorecard({ dir }).then((r) => {
      if (!alive) return;
      if (r.ok) setInfo(r.value);
      else setProblem(r.error.message);
    });
    return () => {
      alive = false;
    };
  }, [connection, dir, initial]);

  const card = info?.scorecard;
  return (
    <AppModal opened onClose={onClose} title="Scorecard" size="min(1280px, 96vw)" closeLabel="Close the scorecard">
      {problem && (
        <Alert color="red" role="alert">
          {inertText(problem)}
        </Alert>
      )}
      {!card && !problem && (
        <Text size="sm" c="dimmed">
          Reading the scorecard…
        </Text>
      )}
      {card && info && (
        <Stack gap="md">
          <Group justify="space-between" align="flex-start" wrap="nowrap">
            <Stack gap={2} style={{ minWidth: 0 }}>
              <Title order={2} size="h3">
                {inertText(card.sample.title)}
              </Title>
              <Text size="sm" c="dimmed">
                {inertText(card.trainee)} · submitted {formatInstant(card.submittedAt)} after{" "}
                {timeTakenText(card.minutesTaken)}
              </Text>
            </Stack>
            <Paper withBorder p="sm" radius="md" style={{ flexShrink: 0, textAlign: "center" }}>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                Total
              </Text>
              <Text fz={28} fw={700} lh={1.1} aria-label="Total points">
                {formatPoints(card.points)} / {formatPoints(card.maxPoints)}
              </Text>
              <Text size="xs" c="dimmed">
                {card.maxPoints > 0 ? Math.round((100 * card.points) / card.maxPoints) : 0}%
              </Text>
            </Paper>
          </Group>
          <Group gap="xs" aria-label="Hints and time">
            <Badge variant="light" color={card.hintsOpened > 0 ? "orange" : "gray"}>
              {card.hintsOpened} hint{card.hintsOpened === 1 ? "" : "s"} opened
              {card.hintPenalty > 0 ? `: −${formatPoints(card.hintPenalty)} points` : ""}
            </Badge>
            <Badge variant="light" color={card.late ? "orange" : "teal"}>
              {card.late ? "submitted late" : "on time"}
            </Badge>
          </Group>
          <Grid gap="lg">
            <Grid.Col span={{ base: 12, lg: 7 }}>
              <Stack gap="xs">
                <Title order={3} size="h5">
                  Points per part
                </Title>
                <ScoreParts card={card} />
                <Text size="sm">
                  Hints: {card.hintsOpened} opened,{" "}
                  {card.hintPenalty > 0 ? `${formatPoints(card.hintPenalty)} points taken off` : "nothing taken off"}.
                  Time: {timeTakenText(card.minutesTaken)} taken
                  {card.late ? ", after the time allowed (marked late)" : ", within the time allowed"}.
                </Text>
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 5 }}>
              <Paper
                withBorder
                p="md"
                radius="md"
                role="region"
                aria-label="Model answer"
                bg="var(--mantine-color-default-hover)"
              >
                <Title order={3} size="h5" mb="xs">
                  Model answer
                </Title>
                <InertLines text={card.modelAnswer} />
              </Paper>
            </Grid.Col>
          </Grid>
          <Text size="xs" c="dimmed" className="mono" style={{ overflowWrap: "anywhere" }}>
            Scored as ledger event {info.scored.seq} (scoring version {card.scoringVersion}) against the answer key with
            SHA-256 {info.answerKeySha256}
          </Text>
          <ScorecardExports connection={connection} dir={dir} />
        </Stack>
      )}
    </AppModal>
  );
}
