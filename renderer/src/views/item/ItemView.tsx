/**
 * One item: the picture or video (veiled until revealed), what the file says
 * about itself with its warnings, its hashes, its custody timeline, notes, tags
 * and review status. Every change here is a signed ledger event.
 */
import { Alert, Badge, Box, Button, Group, ScrollArea, Stack, Tabs, Text } from "@mantine/core";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { NearDuplicateGroup, TimelineEntry } from "../../../../shared/api/contract.js";
import type { ItemStatus } from "../../../../shared/ledger/events.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { statusLabel } from "../../../../shared/text/plainWords.js";
import type { Connection } from "../../connection.js";
import { isInField } from "../../keyboard/inField.js";
import { CustodyPanel } from "./CustodyPanel.js";
import { MediaPanel } from "./MediaPanel.js";
import { MetadataPanel } from "./MetadataPanel.js";
import { ReviewPanel } from "./ReviewPanel.js";
import { ViewHeader } from "./ViewHeader.js";
import { useReturnPlace } from "./useReturnPlace.js";
import { ItemError, ItemPending, useItemDetail } from "./useItemDetail.js";
import { IntegrityBanner } from "./IntegrityBanner.js";
import { GeolocateWorkspace } from "../geolocate/GeolocateWorkspace.js";
import { ReferencePanel } from "../references/ReferencePanel.js";
import { ReportButton } from "../reports/ReportDialog.js";

const STATUS_COLOURS: Record<ItemStatus, string> = {
  unverified: "gray",
  "in-review": "blue",
  verified: "teal",
  disputed: "orange",
  rejected: "red",
};

export function ItemView({
  connection,
  dir,
  sha256,
  onOpenItem,
  onClose,
  defaultRevealed,
  onWorkspaceChange,
}: {
  connection: Connection;
  dir: string;
  sha256: string;
  onOpenItem: (sha: string) => void;
  onClose: () => void;
  defaultRevealed: boolean;
  /** Told when the where-and-when workspace opens and closes: the board's keys must not reach it. */
  onWorkspaceChange: (isOpen: boolean) => void;
}) {
  const { api } = connection.client;
  const [timeline, setTimeline] = useState<TimelineEntry[]>([]);
  const [groups, setGroups] = useState<NearDuplicateGroup[]>([]);
  // Revealed or not for this item only: worked out in the render, not reset in an effect, so the
  // item opened next is never shown for a render with the last one's choice (a veiled picture
  // fetched clear because the item before it was revealed).
  const revealKey = `${sha256}\n${defaultRevealed}`;
  const [reveal, setReveal] = useState({ key: revealKey, isRevealed: defaultRevealed });
  const isRevealed = reveal.key === revealKey ? reveal.isRevealed : defaultRevealed;
  const toggleReveal = () => setReveal({ key: revealKey, isRevealed: !isRevealed });
  const [tab, setTab] = useState("metadata");
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const statusRef = useRef<HTMLInputElement>(null);
  const [isPlacing, setPlacing] = useState(false);
  // The workspace replaces this page; coming back finds the panel scrolled and the button focused
  // as they were (the tab is this component's state, which the workspace leaves in place).
  const returnPlace = useReturnPlace(isPlacing);
  useEffect(() => {
    onWorkspaceChange(isPlacing);
    return () => onWorkspaceChange(false);
  }, [isPlacing, onWorkspaceChange]);

  const alongside = useCallback(async () => {
    const [events, near] = await Promise.all([api.itemTimeline({ dir, sha256 }), api.nearDuplicates({ dir })]);
    if (events.ok) setTimeline(events.value);
    if (near.ok) setGroups(near.value);
    return null;
  }, [api, dir, sha256]);
  const { item, error, setError } = useItemDetail(connection, dir, sha256, alongside);

  useEffect(() => {
    setPlacing(false);
  }, [connection, dir, sha256, defaultRevealed]);

  const matches = useMemo(() => {
    const group = groups.find((g) => g.items.some((i) => i.sha256 === sha256));
    if (!group) return [];
    return group.links
      .filter((l) => l.a === sha256 || l.b === sha256)
      .map((l) => {
        const other = l.a === sha256 ? l.b : l.a;
        return {
          sha256: other,
          name: group.items.find((i) => i.sha256 === other)?.name ?? other,
          distance: l.distance,
        };
      });
  }, [groups, sha256]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isInField(e.target)) return;
      // In the workspace, r and no other key: the board's keys are off there too (onWorkspaceChange).
      if (e.key === "r") toggleReveal();
      else if (isPlacing) return;
      else if (e.key === "n" || e.key === "s") {
        // n: write a note; s: set the status. Both live on the Review tab.
        e.preventDefault();
        setTab("review");
        setTimeout(() => (e.key === "n" ? noteRef : statusRef).current?.focus(), 0);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  if (!item) return <ItemPending error={error} />;
  const warnings = item.metadata?.warnings ?? [];
  if (isPlacing) {
    return (
      // The board's and the item's single-key shortcuts (Escape, j, k, n, s) are off in the workspace,
      // wherever the focus is: a stray key must not close a form half filled in. r still reveals or
      // veils, outside its fields (the window listener above).
      <GeolocateWorkspace
        connection={connection}
        dir={dir}
        sha256={sha256}
        onClose={() => setPlacing(false)}
        isRevealed={isRevealed}
        onToggleReveal={toggleReveal}
      />
    );
  }

  return (
    <Stack gap={0} h="100%" aria-label="Item">
      <ViewHeader
        backLabel="Back to the board"
        onBack={onClose}
        title={item.name}
        badges={
          <>
            <Badge color={STATUS_COLOURS[item.status]} variant="light" aria-label="Status">
              {statusLabel(item.status)}
            </Badge>
            {item.tags.map((t) => (
              <Badge key={t} variant="outline" color="gray">
                {t}
              </Badge>
            ))}
          </>
        }
      >
        <Text size="xs" c="dimmed" aria-label="Keyboard shortcuts" visibleFrom="xl" style={{ minWidth: 0 }}>
          <kbd>j</kbd>/<kbd>k</kbd> next/previous · <kbd>r</kbd> reveal · <kbd>+</kbd>/<kbd>−</kbd>/<kbd>0</kbd> zoom ·{" "}
          <kbd>,</kbd>/<kbd>.</kbd> frame · <kbd>n</kbd> note · <kbd>s</kbd> status · <kbd>Esc</kbd> board
        </Text>
        <ReportButton connection={connection} dir={dir} items={{ label: "This item only", sha256s: [sha256] }} />
        {(item.kind === "image" || item.kind === "video") && (
          <Button ref={returnPlace.leftFrom} size="xs" variant="default" onClick={() => setPlacing(true)}>
            Where and when
          </Button>
        )}
        <Button size="xs" variant={isRevealed ? "light" : "filled"} onClick={toggleReveal}>
          {isRevealed ? "Veil media" : "Reveal media"}
        </Button>
      </ViewHeader>
      <IntegrityBanner item={item} />
      {matches.length > 0 && (
        <Alert color="yellow" radius={0} title="Near-duplicate" aria-label="Near-duplicate">
          <Group gap="xs">
            <Text size="sm">This item looks like</Text>
            {matches.map((x) => (
              <Button
                key={x.sha256}
                size="compact-sm"
                variant="light"
                color="yellow"
                onClick={() => onOpenItem(x.sha256)}
              >
                {inertText(x.name)} ({x.distance} of 64 bits differ)
              </Button>
            ))}
          </Group>
        </Alert>
      )}
      <ItemError error={error} onClose={() => setError(null)} />
      <Group gap={0} align="stretch" wrap="nowrap" style={{ flex: 1, minHeight: 0 }}>
        {/* Keyed by the item shown, so nothing of one item's media is carried to the next; the item
            read last is shown veiled until the one asked for arrives. */}
        <MediaPanel
          key={item.sha256}
          connection={connection}
          dir={dir}
          item={item}
          isRevealed={isRevealed && item.sha256 === sha256}
        />
        <Box w={460} style={{ borderLeft: "1px solid var(--mantine-color-default-border)", minHeight: 0 }}>
          <Tabs
            value={tab}
            onChange={(v) => setTab(v ?? "metadata")}
            h="100%"
            style={{ display: "flex", flexDirection: "column" }}
          >
            <Tabs.List>
              <Tabs.Tab value="metadata">Metadata{warnings.length > 0 ? ` (${warnings.length} ⚠)` : ""}</Tabs.Tab>
              <Tabs.Tab value="custody">Custody</Tabs.Tab>
              <Tabs.Tab value="review">Review{item.notes.length ? ` (${item.notes.length})` : ""}</Tabs.Tab>
              <Tabs.Tab value="reference">Reference imagery</Tabs.Tab>
            </Tabs.List>
            <ScrollArea
              style={{ flex: 1 }}
              p="sm"
              viewportRef={returnPlace.viewportRef}
              onScrollPositionChange={returnPlace.onScroll}
            >
              <Tabs.Panel value="metadata">
                <MetadataPanel connection={connection} dir={dir} item={item} onError={setError} />
              </Tabs.Panel>
              <Tabs.Panel value="custody">
                <CustodyPanel item={item} timeline={timeline} />
              </Tabs.Panel>
              <Tabs.Panel value="review">
                <ReviewPanel
                  connection={connection}
                  dir={dir}
                  item={item}
                  noteRef={noteRef}
                  statusRef={statusRef}
                  onError={setError}
                />
              </Tabs.Panel>
              <Tabs.Panel value="reference">
                <ReferencePanel dir={dir} item={item} />
              </Tabs.Panel>
            </ScrollArea>
          </Tabs>
        </Box>
      </Group>
    </Stack>
  );
}
