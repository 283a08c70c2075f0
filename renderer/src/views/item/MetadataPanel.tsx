/** What the file says about itself: its warnings, the fields the workbench reads, and the raw record. */
import { Alert, Stack, Table, Text } from "@mantine/core";
import type { ItemDetail } from "../../../../shared/api/contract.js";
import { inertText } from "../../../../shared/text/inertText.js";
import { Field } from "./Field.js";

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

export function MetadataPanel({ item }: { item: ItemDetail }) {
  const m = item.metadata?.metadata;
  const warnings = item.metadata?.warnings ?? [];
  return (
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
  );
}
