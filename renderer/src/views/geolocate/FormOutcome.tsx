/** What became of a form's last save: the one-line reason it was refused, or what was recorded. */
import { Alert } from "@mantine/core";
import { inertText } from "../../../../shared/text/inertText.js";

export function FormOutcome({ problem, notice }: { problem: string | null; notice: string | null }) {
  return (
    <>
      {problem && (
        <Alert color="red" role="alert" p="xs">
          {inertText(problem)}
        </Alert>
      )}
      {notice && (
        <Alert color="teal" role="status" p="xs">
          {inertText(notice)}
        </Alert>
      )}
    </>
  );
}
