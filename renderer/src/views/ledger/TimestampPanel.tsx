/**
 * Trusted timestamps in the ledger view: "Timestamp the ledger" sends the SHA-256 of the head to
 * the examiner's time-stamping authorities (RFC 3161); the case's timestamps, granted or queued,
 * are listed; queued ones can be sent again; the examiner's authorities (address and trust
 * anchors, kept in their profile) are listed and added here. Text from tokens is shown inert.
 */
import { Badge, Button, Group, List, Stack, Text, TextInput, Textarea, Title } from "@mantine/core";
import { useCallback, useEffect, useState } from "react";
import type { TimestampInfo, TimestampOutcome, TsaInfo } from "../../../../shared/api/timestampContract.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { formatTime } from "../../../../shared/text/times.js";
import type { Connection } from "../../connection.js";

const short = (hash: string) => `${hash.slice(0, 12)}…`;

/** One timestamp attempt in words (also the report dialog's "Timestamp this report" result). */
export function outcomeText(o: TimestampOutcome): string {
  return o.status === "recorded"
    ? `Head ${o.head.seq} timestamped at ${formatTime(o.genTime)} by ${o.tsaName}.`
    : `No authority answered (${o.reason}); the request for head ${o.head.seq} is queued and proves no time until it is sent.`;
}

export function TimestampPanel({ connection, dir }: { connection: Connection; dir: string }) {
  const { api } = connection.client;
  const [stamps, setStamps] = useState<TimestampInfo[]>([]);
  const [authorities, setAuthorities] = useState<TsaInfo[]>([]);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; isError: boolean } | null>(null);
  const [isAdding, setAdding] = useState(false);
  const [url, setUrl] = useState("");
  const [name, setName] = useState("");
  const [anchors, setAnchors] = useState("");

  const load = useCallback(async () => {
    const [list, tsas] = await Promise.all([api.listTimestamps({ dir }), api.timestampAuthorities({ dir })]);
    if (list.ok) setStamps(list.value);
    if (tsas.ok) setAuthorities(tsas.value);
  }, [api, dir]);

  useEffect(() => {
    void load();
    return connection.client.onEvent((e) => {
      if (e.type === "ledger.appended" && e.dir === dir) void load();
    });
  }, [connection, dir, load]);

  const run = async (work: () => Promise<string>) => {
    setBusy(true);
    setMessage(null);
    try {
      setMessage({ text: await work(), isError: false });
    } catch (error) {
      setMessage({ text: (error as Error).message, isError: true });
    } finally {
      setBusy(false);
      void load();
    }
  };

  const timestamp = () =>
    run(async () => {
      const r = await api.timestampLedger({ dir });
      if (!r.ok) throw new Error(r.error.message);
      return outcomeText(r.value);
    });
  const sendPending = () =>
    run(async () => {
      const r = await api.sendPendingTimestamps({ dir });
      if (!r.ok) throw new Error(r.error.message);
      const sent = r.value.filter((o) => o.status === "recorded").length;
      return `${sent} of ${r.value.length} queued request(s) granted.`;
    });
  const addAuthority = () =>
    run(async () => {
      const r = await api.saveTimestampAuthority({ dir, url: url.trim(), name: name.trim(), anchorsPem: anchors });
      if (!r.ok) throw new Error(r.error.message);
      setAdding(false);
      setUrl("");
      setName("");
      setAnchors("");
      return `Authority added; ${r.value.length} configured.`;
    });

  const pending = stamps.filter((s) => s.status === "pending").length;
  return (
    <section aria-label="Trusted timestamps">
      <Stack gap="xs" mt="sm">
        <Group justify="space-between">
          <Title order={3} size="h5">
            Trusted timestamps
          </Title>
          <Group gap="xs">
            {pending > 0 && (
              <Button variant="light" loading={busy} onClick={() => void sendPending()}>
                Send queued requests ({pending})
              </Button>
            )}
            <Button variant="light" onClick={() => setAdding((v) => !v)} aria-expanded={isAdding}>
              Add an authority
            </Button>
            <Button loading={busy} disabled={authorities.length === 0} onClick={() => void timestamp()}>
              Timestamp the ledger
            </Button>
          </Group>
        </Group>
        <Text size="sm" c="dimmed">
          {authorities.length === 0
            ? "No time-stamping authority is configured for you yet: add one with its trust anchors to timestamp the ledger head."
            : `Authorities: ${authorities.map((a) => `${inertText(a.name)} (${inertText(a.url)})`).join(", ")}`}
        </Text>
        {isAdding && (
          <Stack
            gap="xs"
            component="form"
            aria-label="Add a time-stamping authority"
            onSubmit={(e) => e.preventDefault()}
          >
            <Group grow>
              <TextInput
                label="Authority address"
                placeholder="https://tsa.example/tsr"
                value={url}
                onChange={(e) => setUrl(e.currentTarget.value)}
              />
              <TextInput label="Name (optional)" value={name} onChange={(e) => setName(e.currentTarget.value)} />
            </Group>
            <Textarea
              label="Trust anchors (PEM certificates)"
              placeholder="-----BEGIN CERTIFICATE-----"
              autosize
              minRows={3}
              maxRows={8}
              value={anchors}
              onChange={(e) => setAnchors(e.currentTarget.value)}
              styles={{ input: { fontFamily: "monospace", fontSize: 12 } }}
            />
            <Group>
              <Button type="submit" loading={busy} onClick={() => void addAuthority()}>
                Save authority
              </Button>
            </Group>
          </Stack>
        )}
        {message && (
          <Text size="sm" c={message.isError ? "red" : undefined} role={message.isError ? "alert" : "status"}>
            {inertText(message.text)}
          </Text>
        )}
        {stamps.length > 0 && (
          <List aria-label="Timestamps of this case" size="sm" spacing={4} listStyleType="none">
            {stamps.map((s) => (
              <List.Item key={s.ref.hash}>
                <Group gap="xs" wrap="nowrap">
                  <Badge
                    color={s.status === "recorded" ? "teal" : "orange"}
                    variant="light"
                    title={`event ${s.ref.seq}`}
                    style={{ flexShrink: 0 }}
                  >
                    {s.status === "recorded" ? "Granted" : "Queued"}
                  </Badge>
                  <Text size="sm">
                    Head {s.head.seq} <span className="mono">{short(s.head.hash)}</span>
                    {s.status === "recorded"
                      ? ` · ${formatTime(s.genTime)} · ${inertText(s.tsaName)} · ${s.tokenPath}`
                      : ` · not sent yet: ${inertText(s.reason)}`}
                  </Text>
                </Group>
              </List.Item>
            ))}
          </List>
        )}
      </Stack>
    </section>
  );
}
