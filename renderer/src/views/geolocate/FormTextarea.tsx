/** A where-and-when form's text area: it grows with its text, and its refusal shows beside it (by its id). */
import { Textarea } from "@mantine/core";
import type { FieldProblems } from "./formChecks.js";

export function FormTextarea({
  id,
  problems,
  label,
  minRows,
  value,
  onValue,
}: {
  id: string;
  problems: FieldProblems;
  label: string;
  minRows: number;
  value: string;
  onValue: (value: string) => void;
}) {
  return (
    <Textarea
      id={id}
      error={problems.get(id)}
      label={label}
      autosize
      minRows={minRows}
      value={value}
      onChange={(e) => onValue(e.currentTarget.value)}
    />
  );
}
