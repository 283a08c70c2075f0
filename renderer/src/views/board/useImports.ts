/**
 * Imports started from the board (by path, picked, or dropped): the running job with its live
 * progress, the last one's summary, and the provenance that goes with the next batch.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { emptyProgress, type JobInfo } from "../../../../shared/api/contract.js";
import { checkCollection, type CollectionForm, type CollectionInput } from "../../../../shared/case/collection.js";
import type { Connection } from "../../connection.js";
import { filesFromDrop, startIntake, type Intake, type PickedFile } from "../../intake.js";
import type { RunningImport } from "./ImportPanels.js";

export function useImports(connection: Connection, dir: string, onError: (message: string | null) => void) {
  const { client } = connection;
  const [importPath, setImportPath] = useState("");
  const [job, setJob] = useState<RunningImport | null>(null);
  const [lastJob, setLastJob] = useState<JobInfo | null>(null);
  const [provenance, setProvenance] = useState<CollectionForm>({});
  const check = useMemo(() => checkCollection(provenance), [provenance]);
  const [showProvenance, setShowProvenance] = useState(false);
  const intake = useRef<Intake | null>(null);
  // Jobs whose end was announced: the event can arrive before the call that started the job has
  // answered (a small import on a busy machine), and such a job must not then be shown as running.
  const finished = useRef(new Set<string>());

  useEffect(
    () =>
      client.onEvent((event) => {
        if (event.type === "job.progress") {
          setJob((j) =>
            j && j.id === event.jobId
              ? {
                  ...j,
                  progress: event.progress,
                  phaseStarted: event.progress.phase === j.progress.phase ? j.phaseStarted : Date.now(),
                }
              : j,
          );
        }
        if (event.type === "job.finished" && event.job.dir === dir && event.job.kind === "import") {
          finished.current.add(event.job.jobId);
          setJob(null);
          setLastJob(event.job);
        }
      }),
    [client, dir],
  );

  // Provenance describes one batch: once an import has it, the fields empty for the next.
  const track = useCallback((jobId: string) => {
    if (!finished.current.has(jobId)) setJob({ id: jobId, phaseStarted: Date.now(), progress: emptyProgress() });
    setProvenance({});
    setShowProvenance(false);
  }, []);

  const collection = useCallback((): CollectionInput => check.collection ?? {}, [check]);

  /** Whether the provenance may go with an import; if not, the form is shown with its fields marked. */
  const isProvenanceReady = useCallback(() => {
    if (check.collection) return true;
    setShowProvenance(true);
    const first = Object.values(check.problems)[0] ?? "";
    onError(`Nothing was imported: the provenance needs correcting first. ${first}`);
    return false;
  }, [check, onError]);

  const importByPath = useCallback(async () => {
    onError(null);
    if (!isProvenanceReady()) return;
    const result = await client.api.importFiles({ dir, paths: [importPath], collection: collection() });
    if (!result.ok) return onError(result.error.message);
    track(result.value.jobId);
  }, [onError, isProvenanceReady, client, dir, importPath, collection, track]);

  const importPicked = useCallback(
    async (files: PickedFile[]) => {
      onError(null);
      if (files.length === 0) return onError("Nothing to import: no files were dropped or picked.");
      if (!isProvenanceReady()) return;
      try {
        const started = await startIntake(connection, dir, files, collection());
        intake.current = started;
        track(started.jobId);
      } catch (error) {
        onError((error as Error).message);
      }
    },
    [onError, isProvenanceReady, connection, dir, collection, track],
  );

  const importDropped = useCallback(
    async (transfer: DataTransfer) => {
      if (job) return onError("An import is running; drop again when it has finished.");
      try {
        await importPicked(await filesFromDrop(transfer));
      } catch (error) {
        onError(`The dropped items could not be read: ${(error as Error).message}`);
      }
    },
    [job, onError, importPicked],
  );

  /** One page of the last import's files not imported. */
  const lastJobId = lastJob?.jobId;
  const fetchNotImported = useCallback(
    (cursor: number, limit: number) => client.api.listNotImported({ jobId: lastJobId ?? "", cursor, limit }),
    [client, lastJobId],
  );

  const cancel = useCallback(() => {
    if (!job) return;
    intake.current?.abort();
    void client.api.cancelJob({ jobId: job.id });
  }, [job, client]);

  // One object while nothing in it changes, so the import row (memoised) is not redrawn by the
  // board's filter changes.
  return useStableObject({
    importPath,
    setImportPath,
    job,
    lastJob,
    provenance,
    setProvenance,
    check,
    showProvenance,
    setShowProvenance,
    collection,
    importByPath,
    importPicked,
    importDropped,
    fetchNotImported,
    cancel,
  });
}

/** `value`, or the object returned last time if every field of it is the same (Object.is). */
function useStableObject<T extends object>(value: T): T {
  const last = useRef(value);
  const before = last.current as Record<string, unknown>;
  const now = value as Record<string, unknown>;
  const keys = Object.keys(now);
  if (keys.length !== Object.keys(before).length || keys.some((k) => !Object.is(now[k], before[k]))) {
    last.current = value;
  }
  return last.current;
}

export type Imports = ReturnType<typeof useImports>;
