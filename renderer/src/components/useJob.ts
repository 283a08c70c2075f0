/**
 * Follows one job (a report, a bundle) from the host's pushed events: its progress and its end.
 * It listens once per job, not once per progress event (each new listener would leave a moment in
 * which an event is missed), and asks for the job's state once listening, so a job that ended
 * before the listener was in place is still seen to end.
 */
import { useEffect, useState } from "react";
import type { ApiClient } from "../../api/apiClient.js";
import type { JobInfo } from "../../../shared/api/contract.js";

export function useJob(client: ApiClient): [JobInfo | null, (job: JobInfo | null) => void] {
  const [job, setJob] = useState<JobInfo | null>(null);
  const jobId = job?.jobId;
  const isRunning = job?.status === "running";
  useEffect(() => {
    if (!jobId || !isRunning) return;
    let isListening = true;
    const stop = client.onEvent((e) => {
      if (e.type === "job.progress" && e.jobId === jobId) {
        setJob((j) => (j && j.jobId === jobId ? { ...j, progress: e.progress } : j));
      }
      if (e.type === "job.finished" && e.job.jobId === jobId) setJob(e.job);
    });
    void client.api.getJob({ jobId }).then((r) => {
      if (isListening && r.ok && r.value.status !== "running") setJob(r.value);
    });
    return () => {
      isListening = false;
      stop();
    };
  }, [client, jobId, isRunning]);
  return [job, setJob];
}
