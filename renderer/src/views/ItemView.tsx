/**
 * One item: the picture or video (veiled until revealed), what the file says
 * about itself with its warnings, its hashes, its custody timeline, notes, tags
 * and review status. Every change here is a signed ledger event.
 */
import {
  ActionIcon,
  Alert,
  Badge,
  Box,
  Button,
  CopyButton,
  Group,
  ScrollArea,
  Select,
  Stack,
  Table,
  Tabs,
  TagsInput,
  Text,
  Textarea,
  Title,
} from "@mantine/core";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ItemDetail, NearDuplicateGroup, TimelineEntry } from "../../../shared/api/contract.js";
import { STATUS_TRANSITIONS, type ItemStatus } from "../../../shared/ledger/events.js";
import { inertText } from "../../../shared/text/inertText.js";
import { noteHtml } from "../components/noteHtml.js";
import { ZoomPan } from "../components/ZoomPan.js";
import type { Connection } from "../connection.js";

const STATUS_COLOURS: Record<ItemStatus, string> = {
  unverified: "gray",
  "in-review": "blue",
  verified: "teal",
  disputed: "orange",
  rejected: "red",
};

/** A URL to show a case file from, or why it cannot be shown. */
function useFileUrl(connection: Connection, dir: string, path: string | null): [string | null, string | null] {
  const [url, setUrl] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    if (!path) return;
    let alive = true;
    let made: string | null = null;
    connection
      .fileUrl(dir, path)
      .then((u) => {
        made = u;
        if (alive) setUrl(u);
        else URL.revokeObjectURL(u);
      })
      .catch((error: Error) => alive && setFailure(error.message));
    return () => {
      alive = false;
      if (made) URL.revokeObjectURL(made);
      setUrl(null);
      setFailure(null);
    };
  }, [connection, dir, path]);
  return [url, failure];
}

/** One acquisition of the bytes: where from, when, by whom, and the collection record as given. */
function AcquisitionCard({ acquisition: a }: { acquisition: ItemDetail["acquisitions"][number] }) {
  const c = a.collection;
  const source = a.source as typeof a.source & { channel?: string };
  const rows: [string, string | null][] = [
    ["Acquired", `${a.acquisition.acquiredAt.replace("T", " ").slice(0, 19)}Z by ${c.collectedBy.name}`],
    [
      "From",
      source.channel === "upload"
        ? `${source.path} (sent by the workbench page; its folder on disk is not known)`
        : source.path,
    ],
    ["Modified", source.fileTimes.modified],
    ["Source", [c.sourceUrl, c.sourceAccount].filter(Boolean).join(" · ") || null],
    ["Collected at", c.collectedAt],
    ["Method", c.method],
    ...(c.note ? [["Note", c.note] as [string, string]] : []),
    ["Machine", `${a.acquisition.host} · ${a.acquisition.user} · ${a.acquisition.platform}`],
  ];
  return (
    <Box p={6} style={{ border: "1px solid var(--mantine-color-default-border)", borderRadius: 4 }}>
      <Text size="xs" c="dimmed" className="mono" mb={2}>
        #{a.seq} · {a.isNewObject ? "first acquisition" : "acquired again (same bytes)"}
      </Text>
      {rows.map(([label, value]) => (
        <Text key={label} size="xs">
          <Text span c="dimmed" size="xs">
            {label}:{" "}
          </Text>
          {value === null ? (
            <Text span c="orange" size="xs">
              not recorded
            </Text>
          ) : (
            inertText(value)
          )}
        </Text>
      ))}
    </Box>
  );
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={130} style={{ verticalAlign: "top", fontWeight: 500 }}>
        <Text size="xs" c="dimmed">
          {label}
        </Text>
      </Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  );
}

/** The raw metadata record as a tree of folding sections; every value shown as inert text. */
function RawTree({ value, name, depth = 0 }: { value: unknown; name: string; depth?: number }) {
  if (value === null || typeof value !== "object") {
    return (
      <div className="mono" style={{ paddingLeft: 12 }}>
        <Text span size="xs" c="dimmed">
          {inertText(name)}:{" "}
        </Text>
        <Text span size="xs">
          {inertText(String(value))}
        </Text>
      </div>
    );
  }
  const entries = Object.entries(value as Record<string, unknown>);
  return (
    <details open={depth === 0} style={{ paddingLeft: depth === 0 ? 0 : 12 }}>
      <summary className="mono" style={{ cursor: "pointer", fontSize: 12 }}>
        {inertText(name)}{" "}
        <Text span size="xs" c="dimmed">
          ({entries.length})
        </Text>
      </summary>
      {entries.map(([k, v]) => (
        <RawTree key={k} name={k} value={v} depth={depth + 1} />
      ))}
    </details>
  );
}

export function ItemView({
  connection,
  dir,
  sha256,
  onOpenItem,
  onClose,
  defaultRevealed,
}: {
  connection: Connection;
  dir: string;
  sha256: string;
  onOpenItem: (sha: string) => void;
  onClose: () => void;
  defaultRevealed: boolean;
}) {
  const { api } = connection.client;
  const [item, setItem] = useState<ItemDetail | null>(null);
  const [timeline, setTimeline] = useState<TimelineEntry[]>([]);
  const [groups, setGroups] = useState<NearDuplicateGroup[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [isRevealed, setRevealed] = useState(defaultRevealed);
  const [note, setNote] = useState("");
  const [tab, setTab] = useState("metadata");
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const statusRef = useRef<HTMLInputElement>(null);
  const [nextStatus, setNextStatus] = useState<ItemStatus | null>(null);
  const [reason, setReason] = useState("");
  const videoRef = useRef<HTMLVideoElement>(null);

  const load = useCallback(async () => {
    const [detail, events, near] = await Promise.all([
      api.getItem({ dir, sha256 }),
      api.itemTimeline({ dir, sha256 }),
      api.nearDuplicates({ dir }),
    ]);
    if (!detail.ok) return setError(detail.error.message);
    setItem(detail.value);
    if (events.ok) setTimeline(events.value);
    if (near.ok) setGroups(near.value);
  }, [api, dir, sha256]);

  useEffect(() => {
    setRevealed(defaultRevealed);
    void load();
    const stop = connection.client.onEvent((e) => {
      if (e.type === "ledger.appended" && e.dir === dir) void load();
    });
    return stop;
  }, [connection, dir, sha256, load, defaultRevealed]);

  const derivatives = item?.derivatives ?? [];
  const kind = item?.kind;
  const thumbnail = derivatives.find((d) => d.role === "thumbnail");
  const proxy = derivatives.find((d) => d.role === "proxy");
  const keyframes = derivatives.filter((d) => d.role === "keyframe");
  // Images are shown from the original (full resolution); videos from the proxy when the original will not play.
  const mediaPath = item ? (kind === "video" ? (proxy?.path ?? item.objectPath) : item.objectPath) : null;
  const [mediaUrl, mediaFailure] = useFileUrl(connection, dir, kind === "image" || kind === "video" ? mediaPath : null);
  const fps = useMemo(() => {
    const streams = (item?.metadata?.metadata.raw.ffprobe as { streams?: { r_frame_rate?: string }[] } | undefined)
      ?.streams;
    const rate = streams?.find((s) => s.r_frame_rate && s.r_frame_rate !== "0/0")?.r_frame_rate ?? "25/1";
    const [n, d] = rate.split("/").map(Number);
    return n && d ? n / d : 25;
  }, [item]);

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
      const target = e.target as HTMLElement;
      if (target.closest("input, textarea, select, [contenteditable]")) return;
      if (e.key === "r") setRevealed((r) => !r);
      else if (e.key === "n" || e.key === "s") {
        // n: write a note; s: set the status. Both live on the Review tab.
        e.preventDefault();
        setTab("review");
        setTimeout(() => (e.key === "n" ? noteRef : statusRef).current?.focus(), 0);
      } else if (e.key === ",") step(-1);
      else if (e.key === ".") step(1);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const step = (frames: number) => {
    const v = videoRef.current;
    if (!v) return;
    v.pause();
    v.currentTime = Math.max(0, v.currentTime + frames / fps);
  };

  const submitNote = async () => {
    const result = await api.addNote({ dir, sha256, text: note });
    if (!result.ok) return setError(result.error.message);
    setNote("");
  };
  const submitStatus = async () => {
    if (!nextStatus) return;
    const result = await api.changeStatus({ dir, sha256, to: nextStatus, reason });
    if (!result.ok) return setError(result.error.message);
    setReason("");
    setNextStatus(null);
  };
  const setTags = async (tags: string[]) => {
    if (!item) return;
    const add = tags.filter((t) => !item.tags.includes(t));
    const remove = item.tags.filter((t) => !tags.includes(t));
    if (add.length === 0 && remove.length === 0) return;
    const result = await api.changeTags({ dir, sha256, add, remove });
    if (!result.ok) setError(result.error.message);
  };

  if (!item) {
    return <Box p="md">{error ? <Alert color="red">{inertText(error)}</Alert> : <Text c="dimmed">Loading…</Text>}</Box>;
  }
  const m = item.metadata?.metadata;
  const warnings = item.metadata?.warnings ?? [];

  return (
    <Stack gap={0} h="100%" aria-label="Item">
      <Group
        px="md"
        py="xs"
        justify="space-between"
        wrap="nowrap"
        style={{ borderBottom: "1px solid var(--mantine-color-default-border)" }}
      >
        <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
          <ActionIcon variant="subtle" aria-label="Back to the board" onClick={onClose}>
            ←
          </ActionIcon>
          <Title order={2} size="h4" style={{ minWidth: 0 }}>
            <Text span inherit truncate>
              {inertText(item.name)}
            </Text>
          </Title>
          <Badge color={STATUS_COLOURS[item.status]} variant="light" aria-label="Status">
            {item.status}
          </Badge>
          {item.tags.map((t) => (
            <Badge key={t} variant="outline" color="gray">
              {t}
            </Badge>
          ))}
        </Group>
        <Group gap="sm" wrap="nowrap">
          <Text size="xs" c="dimmed" aria-label="Keyboard shortcuts" visibleFrom="lg">
            <kbd>j</kbd>/<kbd>k</kbd> next/previous · <kbd>r</kbd> reveal · <kbd>+</kbd>/<kbd>−</kbd>/<kbd>0</kbd> zoom
            · <kbd>,</kbd>/<kbd>.</kbd> frame · <kbd>n</kbd> note · <kbd>s</kbd> status · <kbd>Esc</kbd> board
          </Text>
          <Button size="xs" variant={isRevealed ? "light" : "filled"} onClick={() => setRevealed((r) => !r)}>
            {isRevealed ? "Veil media" : "Reveal media"}
          </Button>
        </Group>
      </Group>
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
      {error && (
        <Alert color="red" radius={0} withCloseButton onClose={() => setError(null)} role="alert">
          {inertText(error)}
        </Alert>
      )}
      <Group gap={0} align="stretch" wrap="nowrap" style={{ flex: 1, minHeight: 0 }}>
        <Stack gap={0} style={{ flex: 1, minWidth: 0, background: "#0b0b0c" }}>
          <Box style={{ flex: 1, minHeight: 0, position: "relative", overflow: "hidden" }}>
            {mediaFailure && (
              <Text c="orange" size="sm" p="md" role="alert">
                This file cannot be shown here: {inertText(mediaFailure)}. Its bytes are safe in the vault.
              </Text>
            )}
            {kind === "image" && mediaUrl && (
              <ZoomPan>
                <img
                  src={mediaUrl}
                  alt={inertText(item.name)}
                  draggable={false}
                  className={isRevealed ? undefined : "media-veiled"}
                  style={{ maxWidth: "100%", maxHeight: "100%", objectFit: "contain" }}
                />
              </ZoomPan>
            )}
            {kind === "video" && mediaUrl && (
              <video
                ref={videoRef}
                src={mediaUrl}
                controls
                muted={!isRevealed}
                aria-label="Video"
                className={isRevealed ? undefined : "media-veiled"}
                style={{ width: "100%", height: "100%", objectFit: "contain" }}
              />
            )}
            {kind !== "image" && kind !== "video" && (
              <Text c="dimmed" ta="center" mt="xl">
                No viewer for this kind of file{thumbnail ? "" : " (no preview could be made)"}.
              </Text>
            )}
          </Box>
          {kind === "video" && (
            <Stack gap={4} p="xs" style={{ background: "var(--mantine-color-body)" }}>
              <Group gap="xs">
                <Button size="compact-sm" variant="default" onClick={() => step(-1)} aria-label="Previous frame">
                  ◀ frame
                </Button>
                <Button size="compact-sm" variant="default" onClick={() => step(1)} aria-label="Next frame">
                  frame ▶
                </Button>
                <Text size="xs" c="dimmed">
                  {fps.toFixed(2)} fps{proxy ? " · playing the proxy (the original's codec does not play here)" : ""}
                </Text>
              </Group>
              <ScrollArea type="auto" aria-label="Keyframes">
                <Group gap={4} wrap="nowrap">
                  {keyframes.map((k) => (
                    <KeyframeButton
                      key={k.path}
                      connection={connection}
                      dir={dir}
                      path={k.path}
                      time={k.timestampS ?? 0}
                      isRevealed={isRevealed}
                      onSeek={(t) => {
                        if (videoRef.current) videoRef.current.currentTime = t;
                      }}
                    />
                  ))}
                </Group>
              </ScrollArea>
            </Stack>
          )}
        </Stack>
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
            </Tabs.List>
            <ScrollArea style={{ flex: 1 }} p="sm">
              <Tabs.Panel value="metadata">
                <Stack gap="sm">
                  {warnings.map((w, i) => (
                    <Alert key={i} color="orange" variant="light" p="xs" title={w.code}>
                      <Text size="xs">{inertText(w.message)}</Text>
                    </Alert>
                  ))}
                  <Table withRowBorders={false} verticalSpacing={2}>
                    <Table.Tbody>
                      <Field label="Captured">
                        <Text size="sm" className="mono">
                          {m?.capturedAt ? inertText(m.capturedAt) : "—"}
                        </Text>
                        {m?.capturedAtSource && (
                          <Text size="xs" c="dimmed">
                            from {inertText(m.capturedAtSource)}
                          </Text>
                        )}
                      </Field>
                      <Field label="GPS">
                        <Text size="sm" className="mono">
                          {m?.gps
                            ? `${m.gps.lat.toFixed(6)}, ${m.gps.lon.toFixed(6)}${m.gps.altitude !== null ? `, ${m.gps.altitude} m` : ""}`
                            : "—"}
                        </Text>
                      </Field>
                      <Field label="Camera">
                        {m?.camera ? inertText([m.camera.make, m.camera.model].filter(Boolean).join(" ")) : "—"}
                      </Field>
                      <Field label="Software">{m?.software ? inertText(m.software) : "—"}</Field>
                      <Field label="Pixels">
                        {m?.dimensions ? `${m.dimensions.width} × ${m.dimensions.height}` : "—"}
                        {m?.orientation && m.orientation !== 1 ? ` (orientation ${m.orientation})` : ""}
                      </Field>
                      {m?.durationS !== null && m?.durationS !== undefined && (
                        <Field label="Duration">{m.durationS.toFixed(2)} s</Field>
                      )}
                      <Field label="Type">
                        {item.mime ?? "—"} {m?.codecs.length ? `(${m.codecs.map(inertText).join(", ")})` : ""}
                      </Field>
                    </Table.Tbody>
                  </Table>
                  {m && <RawTree name="raw" value={m.raw} />}
                </Stack>
              </Tabs.Panel>
              <Tabs.Panel value="custody">
                <Stack gap="sm">
                  <Table withRowBorders={false} verticalSpacing={2}>
                    <Table.Tbody>
                      {(
                        [
                          ["SHA-256", item.sha256],
                          ["MD5", item.md5],
                          ["SHA-1", item.sha1],
                        ] as const
                      )
                        .filter(([, v]) => v)
                        .map(([label, v]) => (
                          <Field key={label} label={label}>
                            <Group gap={4} wrap="nowrap">
                              <Text size="xs" className="mono" style={{ wordBreak: "break-all" }}>
                                {v}
                              </Text>
                              <CopyButton value={v!}>
                                {({ copied, copy }) => (
                                  <Button
                                    size="compact-xs"
                                    variant="subtle"
                                    onClick={copy}
                                    aria-label={`Copy ${label}`}
                                    style={{ flexShrink: 0 }}
                                  >
                                    {copied ? "Copied" : "Copy"}
                                  </Button>
                                )}
                              </CopyButton>
                            </Group>
                          </Field>
                        ))}
                      <Field label="Size">{item.size.toLocaleString()} bytes</Field>
                      <Field label="Acquisitions">{item.acquisitions.length}</Field>
                    </Table.Tbody>
                  </Table>
                  <Title order={3} size="h6">
                    Acquisitions
                  </Title>
                  <Stack gap={6} aria-label="Acquisitions">
                    {item.acquisitions.map((a) => (
                      <AcquisitionCard key={a.seq} acquisition={a} />
                    ))}
                  </Stack>
                  <Title order={3} size="h6">
                    Timeline, newest first
                  </Title>
                  <Stack gap={6} aria-label="Custody timeline">
                    {timeline.map(({ event, actorName }) => (
                      <Box key={event.seq} p={6} style={{ borderLeft: "2px solid var(--mantine-color-teal-7)" }}>
                        <Group gap={6} justify="space-between" wrap="nowrap">
                          <Text size="xs" fw={600}>
                            {event.type}
                          </Text>
                          <Text size="xs" c="dimmed" className="mono">
                            #{event.seq} · {event.ts.replace("T", " ").slice(0, 19)}Z
                          </Text>
                        </Group>
                        <Text size="xs" c="dimmed">
                          by {inertText(actorName)}
                          {event.type === "status.changed" &&
                            ` · ${String(event.payload.from)} → ${String(event.payload.to)}: ${inertText(String(event.payload.reason))}`}
                          {event.type === "derivative.created" && ` · ${String(event.payload.role)}`}
                          {event.type === "item.imported" &&
                            ` · from ${inertText(String((event.payload.source as { path: string }).path))}`}
                        </Text>
                      </Box>
                    ))}
                  </Stack>
                </Stack>
              </Tabs.Panel>
              <Tabs.Panel value="review">
                <Stack gap="sm">
                  <Group align="flex-end" gap="xs" wrap="nowrap">
                    <Select
                      ref={statusRef}
                      label="Move to"
                      placeholder="status"
                      data={STATUS_TRANSITIONS[item.status].map((s) => ({ value: s, label: s }))}
                      value={nextStatus}
                      onChange={(v) => setNextStatus(v as ItemStatus | null)}
                      w={150}
                    />
                    <Textarea
                      label="Why"
                      autosize
                      minRows={1}
                      value={reason}
                      onChange={(e) => setReason(e.currentTarget.value)}
                      style={{ flex: 1 }}
                    />
                    <Button onClick={() => void submitStatus()} disabled={!nextStatus || !reason.trim()}>
                      Record
                    </Button>
                  </Group>
                  <TagsInput
                    label="Tags"
                    value={item.tags}
                    onChange={(tags) => void setTags(tags)}
                    placeholder="add a tag and press Enter"
                  />
                  <Textarea
                    ref={noteRef}
                    label="Add a note (Markdown)"
                    description="Ctrl+Enter adds it"
                    onKeyDown={(e) => {
                      if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && note.trim()) void submitNote();
                    }}
                    autosize
                    minRows={2}
                    value={note}
                    onChange={(e) => setNote(e.currentTarget.value)}
                  />
                  <Group justify="flex-end">
                    <Button size="xs" onClick={() => void submitNote()} disabled={!note.trim()}>
                      Add note
                    </Button>
                  </Group>
                  {[...item.notes].reverse().map((n) => (
                    <Box
                      key={n.seq}
                      p="xs"
                      style={{ border: "1px solid var(--mantine-color-default-border)", borderRadius: 4 }}
                    >
                      <Text size="xs" c="dimmed" mb={4} className="mono">
                        #{n.seq} · {n.ts.replace("T", " ").slice(0, 19)}Z
                      </Text>
                      <div className="note" dangerouslySetInnerHTML={{ __html: noteHtml(n.text) }} />
                    </Box>
                  ))}
                </Stack>
              </Tabs.Panel>
            </ScrollArea>
          </Tabs>
        </Box>
      </Group>
    </Stack>
  );
}

function KeyframeButton({
  connection,
  dir,
  path,
  time,
  isRevealed,
  onSeek,
}: {
  connection: Connection;
  dir: string;
  path: string;
  time: number;
  isRevealed: boolean;
  onSeek: (t: number) => void;
}) {
  const [url] = useFileUrl(connection, dir, path);
  const label = `${Math.floor(time / 60)}:${(time % 60).toFixed(1).padStart(4, "0")}`;
  return (
    <button
      type="button"
      onClick={() => onSeek(time)}
      aria-label={`Keyframe at ${label}`}
      style={{ padding: 0, border: 0, background: "none", cursor: "pointer", flex: "none" }}
    >
      <div style={{ width: 96, height: 54, overflow: "hidden", background: "#111" }}>
        {url && (
          <img
            src={url}
            alt=""
            className={isRevealed ? undefined : "media-veiled"}
            style={{ width: "100%", height: "100%", objectFit: "cover" }}
          />
        )}
      </div>
      <Text size="xs" c="dimmed" className="mono">
        {label}
      </Text>
    </button>
  );
}
