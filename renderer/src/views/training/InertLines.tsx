/**
 * Text from a sample package or a trainee (a task, a hint, a model answer), shown as text: each
 * line through `inertText`, so markup stays visible characters and control or bidi characters show
 * as escapes, while the line breaks the trainer wrote are kept as separate paragraphs.
 */
import { Stack, Text, type TextProps } from "@mantine/core";
import { inertText } from "../../../../shared/text/inertText.js";

export function InertLines({ text, ...props }: { text: string } & TextProps) {
  const paragraphs = text
    .replace(/\r\n?/g, "\n")
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== "");
  return (
    <Stack gap={6}>
      {paragraphs.map((p, i) => (
        <Text key={i} size="sm" {...props}>
          {p.split("\n").map((line, j) => (
            <span key={j}>
              {j > 0 && <br />}
              {inertText(line)}
            </span>
          ))}
        </Text>
      ))}
    </Stack>
  );
}
