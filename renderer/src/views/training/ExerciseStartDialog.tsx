/**
 * Starting a training exercise from the start view: the samples shipped with the workbench, or
 * another sample package opened by its path (checked against its manifest first), the trainee's
 * name and the new case folder. Starting runs as a job (the case made, the sample's files imported
 * and its imagery marked) with progress, and the trainee's case opens when it ends.
 */
import { Alert, Button, Card, Group, Radio, Stack, Text, TextInput, Title } from "@mantine/core";
import { useEffect, useState, type FormEvent } from "react";
import type { ApiClient } from "../../../api/apiClient.js";
import type { CaseSummary } from "../../../../shared/api/contract.js";
import type { SampleSummary } from "../../../../shared/api/trainingContract.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { FolderField } from "../../components/FolderField.js";
import { JobProgress } from "../../components/JobProgress.js";
import { useJob } from "../../components/useJob.js";
import { SampleChoice } from "./SampleChoice.js";
import { AppModal } from "../../components/AppModal.js";

export function ExerciseStartDialog({
  client,
  opened,
  onClose,
  onOpen,
}: {
  client: ApiClient;
  opened: boolean;
  onClose: () => void;
  onOpen: (s: CaseSummary) => void;
}) {
  const { api } = client;
  const [samples, setSamples] = useState<SampleSummary[] | null>(null);
  const [listProblem, setListProblem] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [otherPath, setOtherPath] = useState("");
  const [otherProblem, setOtherProblem] = useState<string | null>(null);
  const [trainee, setTrainee] = useState(localStorage.getItem("sightline-examiner") ?? "");
  const [dir, setDir] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [job, setJob] = useJob(client);
  const isRunning = job?.status === "running";

  useEffect(() => {
    if (!opened) return;
    let alive = true;
    setJob(null);
    setProblem(null);
    void api.listSamples({}).then((r) => {
      if (!alive) return;
      if (!r.ok) return setListProblem(r.error.message);
      setSamples((before) => [...r.value, ...(before ?? []).filter((s) => !s.shipped)]);
      setChosen((c) => c ?? r.value[0]?.path ?? null);
    });
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened, api]);

  // The job's end: the trainee's case opens; a failure says why, in one line.
  useEffect(() => {
    if (!job || job.status === "running") return;
    if (job.status !== "finished") {
      setProblem(job.error ?? `the exercise was not started (${job.status})`);
      return;
    }
    void api.openCase({ dir }).then((r) => {
      if (!r.ok) return setProblem(r.error.message);
      localStorage.setItem("sightline-examiner", trainee.trim());
      onOpen(r.value);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [job?.status]);

  const inspect = async () => {
    setOtherProblem(null);
    const r = await api.inspectSample({ path: otherPath.trim() });
    if (!r.ok) return setOtherProblem(r.error.message);
    setSamples((list) => [...(list ?? []).filter((s) => s.path !== r.value.path), r.value]);
    setChosen(r.value.path);
  };

  const start = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    if (!chosen) return setProblem("Choose a sample first.");
    const started = await api.startExercise({ sample: chosen, dir: dir.trim(), trainee: trainee.trim() });
    if (!started.ok) return setProblem(started.error.message);
    const j = await api.getJob({ jobId: started.value.jobId });
    if (!j.ok) return setProblem(j.error.message);
    setJob(j.value);
  };

  return (
    <AppModal
      opened={opened}
      onClose={onClose}
      title="Start a training exercise"
      size="xl"
      closeLabel="Close the exercise dialog"
    >
      <Stack component="form" gap="md" onSubmit={start} aria-label="Exercise to start">
        <Text size="sm" c="dimmed">
          A fresh case is made for the trainee with the sample&apos;s files and briefing. The answer key stays with the
          workbench, outside the case, until the work is submitted.
        </Text>
        <Radio.Group
          label="Sample"
          value={chosen}
          onChange={setChosen}
          description={
            samples && samples.length === 0
              ? "No samples come with this workbench: open a sample package below."
              : undefined
          }
        >
          <Stack gap="xs" mt="xs">
            {samples === null && !listProblem && (
              <Text size="sm" c="dimmed">
                Reading the samples…
              </Text>
            )}
            {(samples ?? []).map((s) => (
              <SampleChoice key={s.path} sample={s} disabled={isRunning} />
            ))}
          </Stack>
        </Radio.Group>
        {listProblem && (
          <Alert color="red" role="alert">
            {inertText(listProblem)}
          </Alert>
        )}
        <Group align="flex-end" wrap="nowrap">
          <TextInput
            label="Open another sample package…"
            description="The path of a .sightline-sample file; it is checked against its manifest"
            value={otherPath}
            onChange={(e) => setOtherPath(e.currentTarget.value)}
            error={otherProblem ? inertText(otherProblem) : undefined}
            classNames={{ input: "mono" }}
            style={{ flex: 1 }}
            disabled={isRunning}
          />
          <Button variant="light" onClick={() => void inspect()} disabled={!otherPath.trim() || isRunning}>
            Check and add
          </Button>
        </Group>
        <Group grow align="flex-start">
          <TextInput
            label="Trainee"
            description="Who does the exercise; they sign the case's events"
            required
            value={trainee}
            onChange={(e) => setTrainee(e.currentTarget.value)}
            disabled={isRunning}
          />
          <FolderField label="Trainee's case folder" value={dir} onChange={setDir} disabled={isRunning} />
        </Group>
        {isRunning && job && <JobProgress job={job} label="Exercise setup progress" />}
        {problem && (
          <Alert color="red" role="alert" title="The exercise was not started">
            {inertText(problem)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={isRunning} disabled={!chosen}>
            Start the exercise
          </Button>
        </Group>
      </Stack>
    </AppModal>
  );
}

/** The start view's training card: the one element StartView mounts. */
export function TrainingStartCard({ client, onOpen }: { client: ApiClient; onOpen: (s: CaseSummary) => void }) {
  const [opened, setOpened] = useState(false);
  return (
    <Card withBorder padding="lg" aria-label="Training">
      <Stack gap="sm">
        <Title order={3} size="h4">
          Training
        </Title>
        <Text size="sm" c="dimmed">
          Run a sample case as an exercise: a briefing, staged hints, and a scorecard against the trainer&apos;s answer
          key once the work is submitted.
        </Text>
        <Group justify="flex-end">
          <Button variant="light" onClick={() => setOpened(true)}>
            Start a training exercise…
          </Button>
        </Group>
      </Stack>
      <ExerciseStartDialog client={client} opened={opened} onClose={() => setOpened(false)} onOpen={onOpen} />
    </Card>
  );
}
