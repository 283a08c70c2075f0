/** What the last "Verify case" found: clean, or each problem grouped under the item (or file) it concerns. */
import { Alert, Anchor, Stack, Text } from "@mantine/core";
import { useMemo } from "react";
import type { VerifyResult } from "../../../../shared/api/contract.js";
import { inertText } from "../../../../shared/text/inertText.js";

export function VerificationFindings({
  result,
  names,
  onOpenItem,
}: {
  result: VerifyResult | null;
  names: Map<string, string>;
  /** Opens an item's page; given, each item's findings are headed by a link to it. */
  onOpenItem?: (sha256: string) => void;
}) {
  const byItem = useMemo(() => {
    const groups = new Map<string, VerifyResult["problems"]>();
    for (const p of result?.problems ?? []) {
      const key = p.item ?? "";
      groups.set(key, [...(groups.get(key) ?? []), p]);
    }
    return [...groups];
  }, [result]);
  const title = (sha: string) => (sha ? (names.get(sha) ?? sha) : "the ledger and case.json");
  return (
    <section aria-label="Verification result">
      {result && result.isClean && (
        <Alert color="teal" mt="sm" title="Clean" role="status">
          {result.objectsChecked} originals and {result.derivativesChecked} derivatives re-hashed; every one of{" "}
          {result.eventCount} events matches its hash, chain and signature. Head {result.head?.seq}{" "}
          <span className="mono">{result.head?.hash}</span>.
        </Alert>
      )}
      {result && !result.isClean && (
        <Alert color="red" mt="sm" title={`${result.problems.length} problem(s) found`} role="status">
          <Stack gap={4}>
            {byItem.map(([sha, problems]) => (
              <div key={sha}>
                {sha && onOpenItem ? (
                  <Anchor component="button" type="button" size="sm" fw={600} onClick={() => onOpenItem(sha)}>
                    {inertText(title(sha))}
                  </Anchor>
                ) : (
                  <Text size="sm" fw={600}>
                    {inertText(title(sha))}
                  </Text>
                )}
                {problems.map((p, i) => (
                  <Text key={i} size="xs" className="mono">
                    {p.code} {p.line !== undefined ? `ledger.jsonl:${p.line}` : inertText(p.file ?? "")} —{" "}
                    {inertText(p.message)}
                  </Text>
                ))}
              </div>
            ))}
          </Stack>
        </Alert>
      )}
    </section>
  );
}
