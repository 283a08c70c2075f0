/** The workbench shell: the start screen until a case is open, then the case's views. */
import {
  ActionIcon,
  Alert,
  AppShell,
  Badge,
  Group,
  SegmentedControl,
  Text,
  Title,
  Tooltip,
  useMantineColorScheme,
} from "@mantine/core";
import { useCallback, useEffect, useState } from "react";
import type { CaseSummary, ExaminerSettingsInfo } from "../../shared/api/contract.js";
import { inertText } from "../../shared/text/inertText.js";
import type { Connection } from "./connection.js";
import { ConnectionContext } from "./connectionContext.js";
import { CaseMapView, type AreaFilter } from "./views/caseMap/CaseMapView.js";
import { BoardView } from "./views/board/BoardView.js";
import { LedgerView } from "./views/ledger/LedgerView.js";
import { StartView } from "./views/start/StartView.js";
import { ExaminerMenu } from "./views/header/ExaminerMenu.js";
import { VerificationBadge } from "./views/header/VerificationBadge.js";

export function App({ connection, launchFailure }: { connection: Connection | null; launchFailure?: string | null }) {
  const [current, setCurrent] = useState<CaseSummary | null>(null);
  const [view, setView] = useState<"board" | "map" | "ledger">("board");
  // An item a ledger finding links to: the board opens it when it appears (once).
  const [openOnMount, setOpenOnMount] = useState<string | null>(null);
  const [area, setArea] = useState<AreaFilter | null>(null);
  const { colorScheme, toggleColorScheme } = useMantineColorScheme();
  const [settings, setSettings] = useState<ExaminerSettingsInfo | null>(null);
  const dir = current?.dir;
  // An area drawn on one case's map means nothing in another.
  useEffect(() => setArea(null), [dir]);

  // The examiner's own settings follow them from case to case.
  useEffect(() => {
    setSettings(null);
    if (!dir || !connection) return;
    let alive = true;
    void connection.client.api.examinerSettings({ dir }).then((r) => alive && r.ok && setSettings(r.value));
    return () => {
      alive = false;
    };
  }, [dir, connection]);

  // The header (head, last verification) follows the ledger whichever view is open.
  useEffect(() => {
    if (!dir || !connection) return;
    let alive = true;
    const stop = connection.client.onEvent((event) => {
      if (event.type !== "ledger.appended" || event.dir !== dir) return;
      // Only while this case is still the open one: a late answer must not reopen a closed case.
      void connection.client.api.openCase({ dir }).then((r) => alive && r.ok && setCurrent(r.value));
    });
    return () => {
      alive = false;
      stop();
    };
  }, [dir, connection]);

  const setVeil = async (veil: boolean) => {
    if (!dir || !connection) return;
    const before = settings;
    setSettings((s) => s && { ...s, veilMediaByDefault: veil }); // at once; undone if it cannot be saved
    const r = await connection.client.api.setExaminerSettings({ dir, veilMediaByDefault: veil });
    setSettings(r.ok ? r.value : before);
  };

  const open = useCallback((summary: CaseSummary) => {
    setCurrent(summary);
    const recent = JSON.parse(localStorage.getItem("sightline-recent") ?? "[]") as { dir: string; title: string }[];
    const next = [{ dir: summary.dir, title: summary.title }, ...recent.filter((r) => r.dir !== summary.dir)].slice(
      0,
      10,
    );
    localStorage.setItem("sightline-recent", JSON.stringify(next));
  }, []);

  useEffect(() => {
    document.title = current ? `${inertText(current.title)} — Sightline` : "Sightline";
  }, [current]);

  if (!connection) {
    return (
      <Alert color="red" title="Not connected" m="xl">
        {launchFailure ? <Text mb="xs">The window could not sign in: {launchFailure}.</Text> : null}
        This page was opened without its access token. Start the workbench with <code>npm start</code> (or{" "}
        <code>sightline host</code>) and use the address it prints.
      </Alert>
    );
  }

  return (
    <AppShell header={{ height: 48 }} padding={0}>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          {/* The case's name gives way (truncated, whole in its tooltip) so the view switch and the
              examiner's menu stay on the header's one line at every window width. */}
          <Group gap="sm" wrap="nowrap" style={{ flex: 1, minWidth: 0 }}>
            <Title order={1} size="h4" fw={700} style={{ letterSpacing: 0.5 }}>
              Sightline
            </Title>
            {current && (
              <>
                <Text c="dimmed">/</Text>
                <Text
                  fw={600}
                  truncate
                  maw={420}
                  style={{ minWidth: "4rem", flexShrink: 4 }}
                  title={inertText(current.title)}
                  aria-label="Case title"
                >
                  {inertText(current.title)}
                </Text>
                <VerificationBadge summary={current} />
                {current.head && (
                  <Tooltip label={`Ledger head ${current.head.seq}: ${current.head.hash}`}>
                    <Badge
                      variant="light"
                      color="gray"
                      className="mono"
                      tt="none"
                      style={{ flexShrink: 0 }}
                      aria-label="Ledger head"
                    >
                      head {current.head.seq} · {current.head.hash.slice(0, 12)}
                    </Badge>
                  </Tooltip>
                )}
              </>
            )}
          </Group>
          <Group gap="xs" wrap="nowrap" style={{ flexShrink: 0 }}>
            {current && (
              <SegmentedControl
                size="xs"
                aria-label="View"
                value={view}
                onChange={(v) => {
                  setOpenOnMount(null);
                  setView(v as "board" | "map" | "ledger");
                }}
                data={[
                  { label: "Evidence", value: "board" },
                  { label: "Map", value: "map" },
                  { label: "Ledger", value: "ledger" },
                ]}
              />
            )}
            {current && settings && <ExaminerMenu settings={settings} onVeil={(veil) => void setVeil(veil)} />}
            {current && (
              <ActionIcon variant="subtle" aria-label="Close case" onClick={() => setCurrent(null)} title="Close case">
                ✕
              </ActionIcon>
            )}
            <ActionIcon
              variant="subtle"
              aria-label={colorScheme === "dark" ? "Use light theme" : "Use dark theme"}
              onClick={toggleColorScheme}
            >
              {colorScheme === "dark" ? "☀" : "☾"}
            </ActionIcon>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <ConnectionContext.Provider value={connection}>
          {current && view === "ledger" && (
            <LedgerView
              connection={connection}
              dir={current.dir}
              onOpenItem={(sha) => {
                setOpenOnMount(sha);
                setView("board");
              }}
            />
          )}
          {current && view === "board" && (
            <BoardView
              connection={connection}
              summary={current}
              onSummary={setCurrent}
              veilByDefault={settings?.veilMediaByDefault ?? true}
              area={area}
              onClearArea={() => setArea(null)}
              openOnMount={openOnMount}
            />
          )}
          {current && view === "map" && (
            <CaseMapView
              connection={connection}
              dir={current.dir}
              area={area}
              onArea={setArea}
              onShowBoard={() => setView("board")}
            />
          )}
          {!current && <StartView client={connection.client} onOpen={open} />}
        </ConnectionContext.Provider>
      </AppShell.Main>
    </AppShell>
  );
}
