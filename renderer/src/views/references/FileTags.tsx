/** What a reference file's own tags say, as read by the service: inert text, nothing interpreted as markup. */
import { Table, Text } from "@mantine/core";
import type { ReferenceInspection } from "../../../../shared/api/geoContract.js";
import { inertText } from "../../../../shared/text/inertText.js";

const deg = (v: number) => v.toFixed(5);

export function FileTags({ inspection, name }: { inspection: ReferenceInspection; name: string }) {
  const rows: [string, string][] =
    inspection.kind === "scene"
      ? [
          ["File", name],
          ["Size", `${inspection.tags.width} × ${inspection.tags.height} pixels, ${inspection.tags.bandCount} band(s)`],
          ["Samples", `${inspection.tags.bitsPerSample}-bit ${inspection.tags.sampleFormat}`],
          ["Projection", `EPSG:${inspection.tags.epsg}`],
          ["Bounds (WGS 84)", inspection.tags.bounds84.map(deg).join(", ") + " (W, S, E, N)"],
          ["Pixel size", `${inspection.tags.resolution.map((r) => r.toFixed(2)).join(" × ")} (CRS units)`],
          ["Layout", `${inspection.tags.isTiled ? "tiled" : "strips"}, ${inspection.tags.overviewCount} overview(s)`],
          ["Date in the file", inspection.tags.dateTime ? inertText(inspection.tags.dateTime) : "none"],
          ["Description", inspection.tags.description ? inertText(inspection.tags.description) : "none"],
          ["No-data value", inspection.tags.noData === null ? "none" : String(inspection.tags.noData)],
        ]
      : [
          ["File", name],
          [
            "Tiles",
            `${inspection.tags.tileType}, zoom ${inspection.tags.minZoom}–${inspection.tags.maxZoom}, ${inspection.tags.tileCount} tiles`,
          ],
          ["Bounds (WGS 84)", inspection.tags.bounds84.map(deg).join(", ") + " (W, S, E, N)"],
          ["Name in the file", inspection.tags.name ? inertText(inspection.tags.name) : "none"],
          ["Attribution in the file", inspection.tags.attribution ? inertText(inspection.tags.attribution) : "none"],
        ];
  return (
    <Table withRowBorders={false} verticalSpacing={2} aria-label="What the file says about itself">
      <Table.Tbody>
        {rows.map(([k, v]) => (
          <Table.Tr key={k}>
            <Table.Th w={160}>
              <Text size="xs">{k}</Text>
            </Table.Th>
            <Table.Td>
              <Text size="xs" className="mono" style={{ wordBreak: "break-all" }}>
                {v}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
