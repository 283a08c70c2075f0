/**
 * The staged hints of an exercise: their titles, each opened by a button after a confirmation
 * (opening is a `hint.opened` event and costs points); hints open in order, so only the next one
 * can be opened. An opened hint's text is shown as text.
 */
import { Badge, Button, Group, Paper, Stack, Text } from "@mantine/core";
import { useState } from "react";
import type { ApiClient } from "../../../api/apiClient.js";
import type { ExerciseInfo } from "../../../../shared/api/trainingContract.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { ConfirmDialog } from "./ConfirmDialog.js";
import { InertLines } from "./InertLines.js";
import { formatInstant } from "./trainingText.js";

export function HintList({
  client,
  dir,
  exercise,
  onOpened,
}: {
  client: ApiClient;
  dir: string;
  exercise: ExerciseInfo;
  onOpened: () => void;
}) {
  const [asking, setAsking] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const { hints } = exercise;
  const next = hints.findIndex((h) => !h.opened);
  const isFrozen = exercise.submitted !== null;

  if (hints.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        This exercise has no hints.
      </Text>
    );
  }

  const open = async () => {
    if (asking === null) return;
    setBusy(true);
    setProblem(null);
    const r = await client.api.openHint({ dir, index: asking });
    setBusy(false);
    if (!r.ok) return setProblem(r.error.message);
    setAsking(null);
    onOpened();
  };

  const asked = asking === null ? null : hints[asking];
  return (
    <>
      <Stack gap="xs" role="list" aria-label="Hints">
        {hints.map((h) => {
          const title = inertText(h.title);
          return (
            <Paper key={h.index} withBorder p="xs" radius="sm" role="listitem">
              <Stack gap={4}>
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <Text size="sm" fw={600}>
                    Hint {h.index + 1}: {title}
                  </Text>
                  {h.opened ? (
                    <Badge variant="light" color="orange" style={{ flexShrink: 0 }}>
                      opened {formatInstant(h.opened.at)}
                    </Badge>
                  ) : (
                    <Button
                      size="compact-xs"
                      variant="light"
                      disabled={h.index !== next || isFrozen}
                      aria-label={`Open hint ${h.index + 1}: ${title}`}
                      title={
                        isFrozen
                          ? "The work is submitted"
                          : h.index !== next
                            ? "Hints open in order: open the ones before it first"
                            : undefined
                      }
                      onClick={() => {
                        setProblem(null);
                        setAsking(h.index);
                      }}
                    >
                      Open
                    </Button>
                  )}
                </Group>
                {h.opened && (
                  <div aria-label={`Text of hint ${h.index + 1}`} role="region">
                    <InertLines text={h.opened.text} />
                  </div>
                )}
              </Stack>
            </Paper>
          );
        })}
      </Stack>
      <ConfirmDialog
        opened={asked !== null && asked !== undefined}
        title="Open this hint?"
        confirmLabel="Open the hint"
        busy={busy}
        problem={problem}
        onConfirm={() => void open()}
        onClose={() => setAsking(null)}
      >
        {asked && (
          <>
            <Text size="sm" fw={600} mb="xs">
              Hint {asked.index + 1}: {inertText(asked.title)}
            </Text>
            Opening a hint is recorded and costs points on the scorecard. It cannot be closed again.
          </>
        )}
      </ConfirmDialog>
    </>
  );
}
