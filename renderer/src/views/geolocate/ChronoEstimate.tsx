/**
 * The claimed times beside the verifier's estimate: what others say (the file's metadata, the post
 * time, a caption) in one column, the window the verifier settles on in the other; the window
 * taken from those the shadows fit, or typed as local clock times on the date. While the offset from
 * UTC states no number, nothing is shown at the place's clock: each such figure says it waits for one.
 */
import { Group, Select, Table, Text, TextInput } from "@mantine/core";
import type { Claim } from "../../../../shared/ledger/geoEvents.js";
import { localClock, type EstimateText } from "./chronoChecks.js";
import { clockLabel, offsetLabel, WAITING_FOR_OFFSET, windowLabel, type Window } from "./chronoMath.js";
import { FIELD_IDS, type FieldProblems } from "./formChecks.js";
import { CLAIM_SOURCE_LABELS } from "./geoLabels.js";

export function ChronoEstimate({
  claims,
  windows,
  offset,
  estimate,
  chosen,
  recorded,
  problems,
  onEstimate,
}: {
  claims: Claim[];
  /** The windows the measured shadows fit. */
  windows: Window[];
  /** The offset from UTC in minutes, or null while its text states none the form accepts. */
  offset: number | null;
  estimate: EstimateText;
  /** The fitting window the estimate was taken from, while its times are untouched. */
  chosen: Window | null;
  /** The window a save would record now, if the times (and the offset) can be read. */
  recorded: Window | null;
  problems: FieldProblems;
  onEstimate: (estimate: EstimateText, chosen: Window | null) => void;
}) {
  const key = (w: Window) => `${w.from}/${w.to}`;
  return (
    <>
      <Table withTableBorder verticalSpacing={4} aria-label="Claimed and estimated times">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Claimed</Table.Th>
            <Table.Th>Estimated from the sun</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          <Table.Tr>
            <Table.Td style={{ verticalAlign: "top" }}>
              {claims.filter((c) => c.time).length === 0 && (
                <Text size="xs" c="dimmed">
                  No claimed time.
                </Text>
              )}
              {claims.flatMap((c, i) =>
                c.time
                  ? [
                      <Text key={i} size="xs">
                        {CLAIM_SOURCE_LABELS[c.source]}: {clockLabel(c.time, offset)} on {c.time.slice(0, 10)}
                      </Text>,
                    ]
                  : [],
              )}
            </Table.Td>
            <Table.Td style={{ verticalAlign: "top" }}>
              <Text size="xs">
                {offset === null
                  ? `Your estimate is ${WAITING_FOR_OFFSET}.`
                  : recorded
                    ? windowLabel(recorded, offset)
                    : "No estimate chosen."}
              </Text>
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed">
        Posting time is not capture time: a post says only that the picture existed by then.
      </Text>
      <Select
        label="Your estimated window"
        description="Take a window the shadows fit, or type the times below"
        placeholder={
          offset === null
            ? WAITING_FOR_OFFSET
            : windows.length
              ? "choose a window the shadows fit"
              : "measure a shadow first"
        }
        data={windows.map((w) => ({ value: key(w), label: windowLabel(w, offset) }))}
        value={chosen ? key(chosen) : null}
        onChange={(v) => {
          const w = windows.find((x) => key(x) === v) ?? null;
          onEstimate(
            w && offset !== null
              ? { from: localClock(w.from, offset), to: localClock(w.to, offset) }
              : { from: "", to: "" },
            w,
          );
        }}
        clearable
      />
      <Group gap="xs" grow align="flex-start">
        {(["from", "to"] as const).map((end) => {
          const id = end === "from" ? FIELD_IDS.estimateFrom : FIELD_IDS.estimateTo;
          return (
            <TextInput
              key={end}
              id={id}
              label={end === "from" ? "Window starts (local)" : "Window ends (local)"}
              description={`HH:MM at the place (${offset === null ? WAITING_FOR_OFFSET : offsetLabel(offset)})`}
              placeholder="HH:MM"
              value={estimate[end]}
              onChange={(e) => onEstimate({ ...estimate, [end]: e.currentTarget.value }, chosen)}
              error={problems.get(id)}
              classNames={{ input: "mono" }}
              spellCheck={false}
            />
          );
        })}
      </Group>
    </>
  );
}
