/**
 * The item page's integrity banner: when the last verification found something wrong with this
 * item, what failed (in words, the code beside them) and when it was found, impossible to miss;
 * after a restore of the vault copy, what was done and that a new verification will confirm it.
 */
import { Alert, List, Text } from "@mantine/core";
import type { ItemDetail } from "../../../../shared/api/contract.js";
import { findingWords, openFindings } from "../../../../shared/ledger/integrity.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { formatTime } from "../../../../shared/text/times.js";

export function IntegrityBanner({ item }: { item: Pick<ItemDetail, "integrity" | "restores"> }) {
  const integrity = item.integrity;
  if (!integrity) return null;
  const findings = openFindings(integrity);
  const restore = item.restores.at(-1);
  if (findings.length === 0) {
    if (!integrity.restored || !restore) return null;
    return (
      <Alert color="teal" radius={0} title="Original restored" aria-label="Integrity">
        <Text size="sm">
          The verification of {formatTime(integrity.foundAt)} found this original damaged ({restore.damagedKind}). Its
          vault copy was restored on {formatTime(restore.ts)} from a later acquisition of the same bytes (ledger entry{" "}
          {restore.seq}); the damaged copy is kept {restore.setAside ? `at ${inertText(restore.setAside)}` : "aside"}.
          Run “Verify case” to confirm the case is intact.
        </Text>
      </Alert>
    );
  }
  return (
    <Alert color="red" variant="filled" radius={0} title="Integrity failed" role="alert" aria-label="Integrity">
      <Text size="sm" mb={4}>
        The verification of {formatTime(integrity.foundAt)} (ledger entry {integrity.foundSeq}) found:
      </Text>
      <List size="sm" spacing={2}>
        {findings.map((f, i) => (
          <List.Item key={`${f.code}-${f.file ?? ""}-${i}`}>
            {findingWords(f.code)}
            {f.file ? (
              <>
                {" "}
                — <span className="mono">{inertText(f.file)}</span>
              </>
            ) : null}{" "}
            <Text span size="xs" className="mono">
              ({f.code})
            </Text>
          </List.Item>
        ))}
      </List>
      {findings.some((f) => f.code.startsWith("object-")) && (
        <Text size="sm" mt={6}>
          Import the same file again to restore the vault copy from it: the damaged copy is kept aside, and the restore
          is recorded in the ledger.
        </Text>
      )}
    </Alert>
  );
}
