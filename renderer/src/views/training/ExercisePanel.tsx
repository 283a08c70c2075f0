/**
 * The exercise panel on a trainee's board: the briefing (the task, what is claimed, as claims to
 * verify, the time allowed and left), the staged hints, and "Submit for scoring" behind a
 * confirmation that says the work will be frozen. Once submitted the panel says the work is
 * frozen (the service refuses every change after it) and opens the scorecard.
 */
import { Alert, Badge, Box, Button, Collapse, Group, List, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import type { Connection } from "../../connection.js";
import type { ExerciseInfo, ScorecardInfo } from "../../../../shared/api/trainingContract.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { ConfirmDialog } from "./ConfirmDialog.js";
import { HintList } from "./HintList.js";
import { InertLines } from "./InertLines.js";
import { ScorecardDialog } from "./ScorecardDialog.js";
import { formatInstant, timeAllowedText, timeLeftText } from "./trainingText.js";
import { useNow } from "./useExercise.js";

function Briefing({ exercise, now }: { exercise: ExerciseInfo; now: number }) {
  const b = exercise.briefing;
  const left = exercise.submitted ? null : timeLeftText(exercise.dueAt, now);
  return (
    <Stack gap="xs" aria-label="Briefing" role="region">
      <Title order={3} size="h5">
        The task
      </Title>
      <InertLines text={b.task} />
      {b.claims.length > 0 && (
        <>
          <Title order={3} size="h5" mt={4}>
            What is claimed
          </Title>
          <Text size="xs" c="dimmed">
            Claims to verify, not facts to trust.
          </Text>
          <List size="sm" spacing={2} aria-label="Claims">
            {b.claims.map((c, i) => (
              <List.Item key={i}>
                <Text size="sm" fs="italic">
                  “{inertText(c)}”
                </Text>
              </List.Item>
            ))}
          </List>
        </>
      )}
      <Text size="sm" mt={4} aria-label="Time">
        Time allowed: {timeAllowedText(b.timeAllowedMinutes)}. Started {formatInstant(exercise.startedAt)}.
        {left && (
          <Text span fw={600}>
            {" "}
            {left.text}.
          </Text>
        )}
      </Text>
    </Stack>
  );
}

export function ExercisePanel({
  connection,
  dir,
  exercise,
  onChanged,
}: {
  connection: Connection;
  dir: string;
  exercise: ExerciseInfo;
  onChanged: () => void;
}) {
  const { client } = connection;
  const now = useNow(30_000);
  const [isOpen, setIsOpen] = useState(true);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [scorecard, setScorecard] = useState<ScorecardInfo | null>(null);
  const [showCard, setShowCard] = useState(false);
  const left = exercise.submitted ? null : timeLeftText(exercise.dueAt, now);
  const opened = exercise.hints.filter((h) => h.opened).length;

  const submit = async () => {
    setBusy(true);
    setProblem(null);
    const r = await client.api.submitExercise({ dir });
    setBusy(false);
    if (!r.ok) return setProblem(r.error.message);
    setAsking(false);
    setScorecard(r.value);
    setShowCard(true);
    onChanged();
  };

  return (
    <Box
      component="section"
      aria-label="Exercise"
      mt="xs"
      p="sm"
      style={{ border: "1px solid var(--mantine-color-default-border)", borderRadius: 8 }}
    >
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
          <Badge variant="filled" color="indigo" style={{ flexShrink: 0 }}>
            Exercise
          </Badge>
          <Title order={2} size="h5" style={{ minWidth: 0 }} lineClamp={1}>
            {inertText(exercise.sample.title)}
          </Title>
          <Text size="sm" c="dimmed" style={{ flexShrink: 0 }}>
            · {inertText(exercise.trainee)} · {opened} of {exercise.hints.length} hints opened
            {left ? ` · ${left.isOver ? "time is up" : left.text}` : ""}
          </Text>
        </Group>
        <Group gap="xs" wrap="nowrap" style={{ flexShrink: 0 }}>
          <Button size="xs" variant="subtle" onClick={() => setIsOpen((o) => !o)} aria-expanded={isOpen}>
            {isOpen ? "Hide the briefing" : "Show the briefing"}
          </Button>
          {exercise.submitted ? (
            <Button size="xs" onClick={() => setShowCard(true)} disabled={!exercise.scored && !scorecard}>
              Show the scorecard
            </Button>
          ) : (
            <Button
              size="xs"
              onClick={() => {
                setProblem(null);
                setAsking(true);
              }}
            >
              Submit for scoring
            </Button>
          )}
        </Group>
      </Group>
      {exercise.submitted && (
        <Alert color="blue" variant="light" mt="xs" role="status" title="Submitted: the work is frozen">
          Submitted {formatInstant(exercise.submitted.at)} (ledger event {exercise.submitted.event.seq}). Changes to
          this case are refused from now on; the scorecard and its exports are all that can still be recorded.
          {exercise.scored && ` Scored ${exercise.scored.points} of ${exercise.scored.maxPoints} points.`}
        </Alert>
      )}
      {problem && !asking && (
        <Alert color="red" role="alert" mt="xs" withCloseButton onClose={() => setProblem(null)}>
          {inertText(problem)}
        </Alert>
      )}
      <Collapse expanded={isOpen}>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg" mt="sm">
          <Briefing exercise={exercise} now={now} />
          <Stack gap="xs">
            <Title order={3} size="h5">
              Hints
            </Title>
            <HintList client={client} dir={dir} exercise={exercise} onOpened={onChanged} />
          </Stack>
        </SimpleGrid>
      </Collapse>
      <ConfirmDialog
        opened={asking}
        title="Submit for scoring?"
        confirmLabel="Submit and freeze the work"
        busy={busy}
        problem={problem}
        onConfirm={() => void submit()}
        onClose={() => setAsking(false)}
      >
        Your work will be frozen: after submission the case refuses every change (notes, statuses, geolocations, hints),
        and it is scored against the answer key. This cannot be undone.
      </ConfirmDialog>
      {showCard && (
        <ScorecardDialog connection={connection} dir={dir} initial={scorecard} onClose={() => setShowCard(false)} />
      )}
    </Box>
  );
}
