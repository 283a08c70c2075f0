/**
 * What training adds to the board (the one element BoardView mounts): "Author a training sample…"
 * for any case, and, in a trainee's case, the exercise panel with its briefing, hints and
 * submission.
 */
import type { Connection } from "../../connection.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { Text } from "@mantine/core";
import { AuthorSampleButton } from "./AuthorSampleDialog.js";
import { ExercisePanel } from "./ExercisePanel.js";
import { useExercise } from "./useExercise.js";

export function TrainingOnBoard({ connection, dir }: { connection: Connection; dir: string }) {
  const { exercise, problem, refresh } = useExercise(connection.client, dir);
  return (
    <>
      {!exercise && <AuthorSampleButton connection={connection} dir={dir} />}
      {exercise && <ExercisePanel connection={connection} dir={dir} exercise={exercise} onChanged={refresh} />}
      {problem && (
        <Text size="sm" c="red" mt="xs">
          The exercise could not be read: {inertText(problem)}
        </Text>
      )}
    </>
  );
}
