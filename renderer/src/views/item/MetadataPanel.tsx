/**
 * What the file says about itself: its warnings in words (each code beside them, each to be
 * acknowledged with a remark), the fields the workbench reads with the tag each came from, and the
 * raw record.
 */
import { Alert, Group, Stack, Table, Text, Tooltip } from "@mantine/core";
import type { ItemDetail } from "../../../../shared/api/contract.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { plural, warningTitle } from "../../../../shared/text/plainWords.js";
import { formatTime } from "../../../../shared/text/times.js";
import type { Connection } from "../../connection.js";
import { Field, NotGiven } from "./Field.js";
import { WarningAcknowledge } from "./WarningAcknowledge.js";

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

/** A warning's title in words, its code second: dimmed beside it and on hover. */
function WarningTitle({ code }: { code: string }) {
  return (
    <Group gap="xs" justify="space-between" wrap="nowrap">
      <Tooltip label={`Code: ${code}`} openDelay={300}>
        <Text span fw={600} size="sm">
          {warningTitle(code)}
        </Text>
      </Tooltip>
      <Text span size="xs" c="dimmed" className="mono" data-code={code}>
        {code}
      </Text>
    </Group>
  );
}

/** Where a value came from, under it: "from EXIF:DateTimeOriginal". */
function Source({ tag, note }: { tag: string | null | undefined; note?: string }) {
  if (!tag) return null;
  return (
    <Text size="xs" c="dimmed">
      from <span className="mono">{inertText(tag)}</span>
      {note ? ` (${note})` : ""}
    </Text>
  );
}

export function MetadataPanel({
  connection,
  dir,
  item,
  onError,
}: {
  connection: Connection;
  dir: string;
  item: ItemDetail;
  onError: (message: string) => void;
}) {
  const m = item.metadata?.metadata;
  const warnings = item.metadata?.warnings ?? [];
  const gpsFromXmp = m?.gpsSource?.startsWith("XMP:");
  return (
    <Stack gap="sm">
      {warnings.length > 0 && (
        <Text size="sm" fw={500}>
          {warnings.length === 1 ? "One thing" : `${plural(warnings.length, "thing")}`} in this file to look at twice:
        </Text>
      )}
      <Stack gap={6} role="group" aria-label="Warnings">
        {warnings.map((w, i) => (
          <Alert key={i} color="orange" variant="light" p="xs" title={<WarningTitle code={w.code} />}>
            <Text size="xs">{inertText(w.message)}</Text>
            <WarningAcknowledge connection={connection} dir={dir} item={item} code={w.code} onError={onError} />
          </Alert>
        ))}
      </Stack>
      <Table withRowBorders={false} verticalSpacing={2}>
        <Table.Tbody>
          <Field label="Captured">
            {m?.capturedAt ? (
              <Text size="sm" className="mono">
                {inertText(formatTime(m.capturedAt, { fraction: true }))}
              </Text>
            ) : (
              <NotGiven>no capture time in the file</NotGiven>
            )}
            <Source tag={m?.capturedAtSource} />
          </Field>
          <Field label="GPS">
            {m?.gps ? (
              <Text size="sm" className="mono">
                {`${m.gps.lat.toFixed(6)}, ${m.gps.lon.toFixed(6)}${m.gps.altitude !== null ? `, ${m.gps.altitude} m` : ""}`}
              </Text>
            ) : (
              <NotGiven>no location in the file</NotGiven>
            )}
            <Source tag={m?.gps ? m.gpsSource : null} note={gpsFromXmp ? "written only in XMP" : undefined} />
          </Field>
          <Field label="Camera">
            {m?.camera ? (
              inertText([m.camera.make, m.camera.model].filter(Boolean).join(" "))
            ) : (
              <NotGiven>not named in the file</NotGiven>
            )}
          </Field>
          <Field label="Software">
            {m?.software ? inertText(m.software) : <NotGiven>not named in the file</NotGiven>}
          </Field>
          <Field label="Pixels">
            {m?.dimensions ? `${m.dimensions.width} × ${m.dimensions.height}` : <NotGiven>not known</NotGiven>}
            {m?.orientation && m.orientation !== 1 ? ` (orientation ${m.orientation})` : ""}
          </Field>
          {m?.durationS !== null && m?.durationS !== undefined && (
            <Field label="Duration">{m.durationS.toFixed(2)} s</Field>
          )}
          <Field label="Type">
            {item.mime ?? <NotGiven>not recognised</NotGiven>}{" "}
            {m?.codecs.length ? `(${m.codecs.map(inertText).join(", ")})` : ""}
          </Field>
        </Table.Tbody>
      </Table>
      {m && <RawTree name="raw" value={m.raw} />}
    </Stack>
  );
}
