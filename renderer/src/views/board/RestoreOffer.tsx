/**
 * The import's offer to restore a damaged original: when a file just imported has the same bytes as
 * an item whose vault copy is damaged, say so and offer to restore the vault copy from that file (a
 * recorded `original.restored`; the damaged copy is kept aside under recovered/, never deleted).
 */
import { Alert, Button, Group, Stack, Text } from "@mantine/core";
import { useState } from "react";
import type { ImportOutcomeInfo, JobInfo } from "../../../../shared/api/contract.js";
import { DAMAGE_WORDS, type DamageKind } from "../../../../shared/ledger/restoreEvents.js";
import { inertText } from "../../../../shared/text/inertText.js";
import type { Connection } from "../../connection.js";

type Damaged = Extract<ImportOutcomeInfo, { seq: number }> & { damaged: DamageKind };

export function RestoreOffer({ connection, dir, job }: { connection: Connection; dir: string; job: JobInfo | null }) {
  const damaged = (job?.outcomes ?? []).filter((o): o is Damaged => "damaged" in o && !!o.damaged);
  if (damaged.length === 0) return null;
  return (
    <Stack gap={6} mt="xs">
      {damaged.slice(0, 20).map((o) => (
        <RestoreOne key={`${o.sha256}-${o.seq}`} connection={connection} dir={dir} outcome={o} />
      ))}
    </Stack>
  );
}

function RestoreOne({ connection, dir, outcome }: { connection: Connection; dir: string; outcome: Damaged }) {
  const [state, setState] = useState<
    | { kind: "offer" }
    | { kind: "busy" }
    | { kind: "done"; setAside: string | null }
    | { kind: "error"; message: string }
  >({ kind: "offer" });
  const name = inertText(outcome.displayPath.split(/[\\/]/).pop() ?? outcome.displayPath);
  const restore = async () => {
    setState({ kind: "busy" });
    const result = await connection.client.api.restoreOriginal({
      dir,
      sha256: outcome.sha256,
      acquisitionSeq: outcome.seq,
    });
    setState(
      result.ok ? { kind: "done", setAside: result.value.setAside } : { kind: "error", message: result.error.message },
    );
  };
  if (state.kind === "done") {
    return (
      <Alert color="teal" title={`Original restored: ${name}`} role="status">
        <Text size="sm">
          The vault copy of {name} holds the original bytes again
          {state.setAside ? (
            <>
              ; the damaged copy is kept at <span className="mono">{inertText(state.setAside)}</span>
            </>
          ) : null}
          . Run “Verify case” to confirm.
        </Text>
      </Alert>
    );
  }
  return (
    <Alert color="red" title={`Damaged original: ${name}`}>
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Text size="sm">
          <strong>{name}</strong>: {DAMAGE_WORDS[outcome.damaged]}. The file you just imported has the same bytes as the
          original; its acquisition is recorded and the vault copy was left as it is.
        </Text>
        <Button
          size="xs"
          color="red"
          loading={state.kind === "busy"}
          onClick={() => void restore()}
          style={{ flexShrink: 0 }}
        >
          Restore the vault copy from {name}
        </Button>
      </Group>
      {state.kind === "error" && (
        <Text size="sm" mt={4} role="alert">
          Not restored: {inertText(state.message)}
        </Text>
      )}
    </Alert>
  );
}
