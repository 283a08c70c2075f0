/**
 * An item's detail as the item's page and its "Where and when" workspace read it: with what each
 * shows beside it, loaded at once and again whenever the case's ledger has an event appended; what
 * either shows until it is read (or why it cannot be), and its error above the page until dismissed.
 */
import { Alert, Box, Text } from "@mantine/core";
import { useCallback, useEffect, useState } from "react";
import type { ItemDetail } from "../../../../shared/api/contract.js";
import { inertText } from "../../../../shared/text/inertText.js";
import type { Connection } from "../../connection.js";

/**
 * The item `sha256` of the case at `dir`. `alongside` loads, at the same time, what the view shows
 * beside it and resolves with the reason that failed, or null; `onItem` (stable) sees each detail read.
 */
export function useItemDetail(
  connection: Connection,
  dir: string,
  sha256: string,
  alongside: () => Promise<string | null>,
  onItem?: (item: ItemDetail) => void,
) {
  const { api } = connection.client;
  const [item, setItem] = useState<ItemDetail | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const [detail, problem] = await Promise.all([api.getItem({ dir, sha256 }), alongside()]);
    if (!detail.ok) return setError(detail.error.message);
    setItem(detail.value);
    onItem?.(detail.value);
    if (problem !== null) setError(problem);
  }, [api, dir, sha256, alongside, onItem]);

  useEffect(() => {
    void load();
    return connection.client.onEvent((e) => {
      if (e.type === "ledger.appended" && e.dir === dir) void load();
    });
  }, [connection, dir, load]);

  return { item, error, setError };
}

/** What a view of one item shows until its detail is read: loading, or why it cannot be read. */
export function ItemPending({ error }: { error: string | null }) {
  return <Box p="md">{error ? <Alert color="red">{inertText(error)}</Alert> : <Text c="dimmed">Loading…</Text>}</Box>;
}

/** The error of a view of one item, across its top until dismissed. */
export function ItemError({ error, onClose }: { error: string | null; onClose: () => void }) {
  if (!error) return null;
  return (
    <Alert color="red" radius={0} withCloseButton onClose={onClose} role="alert">
      {inertText(error)}
    </Alert>
  );
}
