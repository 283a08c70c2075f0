/**
 * Under a metadata warning: once acknowledged, when and with what remark; until then, a line for
 * what the examiner makes of it and a button that records it (a warning.acknowledged event). In an
 * exercise an acknowledged warning can catch a trap (docs/TRAINING.md).
 */
import { Button, Group, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import type { ItemDetail } from "../../../../shared/api/contract.js";
import type { WarningCode } from "../../../../shared/media/metadata.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { warningTitle } from "../../../../shared/text/plainWords.js";
import { formatTime } from "../../../../shared/text/times.js";
import type { Connection } from "../../connection.js";

export function WarningAcknowledge({
  connection,
  dir,
  item,
  code,
  onError,
}: {
  connection: Connection;
  dir: string;
  item: ItemDetail;
  code: WarningCode;
  onError: (message: string) => void;
}) {
  const [remark, setRemark] = useState("");
  const [isBusy, setBusy] = useState(false);
  const title = warningTitle(code);
  const done = item.acknowledgements.find((a) => a.code === code);
  if (done) {
    return (
      <Text size="xs" mt={4} c="dimmed">
        Acknowledged {formatTime(done.ts)}: “{inertText(done.remark)}”
      </Text>
    );
  }
  const acknowledge = async () => {
    setBusy(true);
    const result = await connection.client.api.acknowledgeWarning({ dir, sha256: item.sha256, code, remark });
    setBusy(false);
    if (!result.ok) return onError(result.error.message);
    setRemark("");
  };
  return (
    <Group gap="xs" mt={4} wrap="nowrap" align="flex-end">
      <TextInput
        size="xs"
        style={{ flex: 1 }}
        aria-label={`What you make of: ${title}`}
        placeholder="What you make of it"
        value={remark}
        maxLength={4000}
        onChange={(e) => setRemark(e.currentTarget.value)}
        onKeyDown={(e) => {
          // Not while one is on its way: a second Enter would send the same acknowledgement again.
          if (e.key === "Enter" && remark.trim() && !isBusy) void acknowledge();
        }}
      />
      <Button
        size="xs"
        variant="light"
        color="orange"
        aria-label={`Acknowledge: ${title}`}
        disabled={!remark.trim()}
        loading={isBusy}
        onClick={() => void acknowledge()}
      >
        Acknowledge
      </Button>
    </Group>
  );
}
