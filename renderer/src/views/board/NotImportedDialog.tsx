/**
 * Every file an import did not bring in, with its reason: a virtualised list paged in from the API
 * as it scrolls (however many files), names and reasons shown as inert text. The list takes the
 * focus so the keyboard scrolls it (arrows, Page Up/Down, Home/End).
 */
import { Alert, Text } from "@mantine/core";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef } from "react";
import { inertText } from "../../../../shared/text/inertText.js";
import { formatCount } from "../../../../shared/text/units.js";
import { AppModal } from "../../components/AppModal.js";
import { fileNameOf, useNotImportedRows, type FetchNotImported } from "./notImportedList.js";

const ROW_HEIGHT = 44;

export function NotImportedDialog({
  fetchPage,
  expected,
  onClose,
}: {
  fetchPage: FetchNotImported;
  /** How many the job counted; the list's own total replaces it once a page has come. */
  expected: number;
  onClose: () => void;
}) {
  const list = useNotImportedRows(fetchPage, expected);
  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: list.total,
    getScrollElement: () => parent.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const visible = virtualizer.getVirtualItems();
  const last = visible.at(-1)?.index ?? 0;
  const { want } = list;
  useEffect(() => want(last), [want, last]);
  return (
    <AppModal
      opened
      onClose={onClose}
      size="xl"
      title={`All ${formatCount(list.total)} files not imported`}
      closeLabel="Close the list of files not imported"
    >
      {list.error && (
        <Alert color="red" mb="xs" role="alert">
          The list could not be read: {inertText(list.error)}
        </Alert>
      )}
      <Text size="xs" c="dimmed" mb={4} role="status">
        {list.rows.length < list.total
          ? `${formatCount(list.rows.length)} of ${formatCount(list.total)} read so far`
          : `${formatCount(list.total)} files`}
      </Text>
      <div
        ref={parent}
        role="list"
        aria-label="Files not imported"
        tabIndex={0}
        style={{ height: "60vh", overflow: "auto", border: "1px solid var(--mantine-color-default-border)" }}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {visible.map((v) => {
            const o = list.rows[v.index];
            return (
              <div
                key={v.key}
                role="listitem"
                aria-setsize={list.total}
                aria-posinset={v.index + 1}
                style={{
                  position: "absolute",
                  top: 0,
                  left: 0,
                  right: 0,
                  height: ROW_HEIGHT,
                  transform: `translateY(${v.start}px)`,
                  padding: "2px 8px",
                }}
              >
                {o ? (
                  <>
                    <Text size="sm" className="mono" truncate>
                      {inertText(fileNameOf(o.displayPath))} — {inertText(o.reason)}
                    </Text>
                    <Text size="xs" c="dimmed" className="mono" truncate>
                      {inertText(o.displayPath)}
                    </Text>
                  </>
                ) : (
                  <Text size="sm" c="dimmed">
                    Reading…
                  </Text>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </AppModal>
  );
}
