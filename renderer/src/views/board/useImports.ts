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
          setJob(null);
          setLastJob(event.job);
        }
      }),
    [client, dir],
  );

  // Provenance describes one batch: once an import has it, the fields empty for the next.
  const track = (jobId: string) => {
    setJob({ id: jobId, phaseStarted: Date.now(), progress: emptyProgress() });
    setProvenance({});
    setShowProvenance(false);
  };

  const collection = (): CollectionInput => check.collection ?? {};

  /** Whether the provenance may go with an import; if not, the form is shown with its fields marked. */
  const isProvenanceReady = () => {
    if (check.collection) return true;
    setShowProvenance(true);
    const first = Object.values(check.problems)[0] ?? "";
    onError(`Nothing was imported: the provenance needs correcting first. ${first}`);
    return false;
  };

  const importByPath = async () => {
    onError(null);
    if (!isProvenanceReady()) return;
    const result = await client.api.importFiles({ dir, paths: [importPath], collection: collection() });
    if (!result.ok) return onError(result.error.message);
    track(result.value.jobId);
  };

  const importPicked = async (files: PickedFile[]) => {
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
  };

  const importDropped = async (transfer: DataTransfer) => {
    if (job) return onError("An import is running; drop again when it has finished.");
    try {
      await importPicked(await filesFromDrop(transfer));
    } catch (error) {
      onError(`The dropped items could not be read: ${(error as Error).message}`);
    }
  };

  /** One page of the last import's files not imported. */
  const lastJobId = lastJob?.jobId;
  const fetchNotImported = useCallback(
    (cursor: number, limit: number) => client.api.listNotImported({ jobId: lastJobId ?? "", cursor, limit }),
    [client, lastJobId],
  );

  const cancel = () => {
    if (!job) return;
    intake.current?.abort();
    void client.api.cancelJob({ jobId: job.id });
  };

  return {
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
  };
}

export type Imports = ReturnType<typeof useImports>;
