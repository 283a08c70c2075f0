/** Waiting on the API's jobs as the page does: by the `job.finished` event, over any transport. */
import type { ApiClient } from "../../renderer/api/apiClient.js";
import type { JobInfo } from "../../shared/api/contract.js";

/** Resolves with the job once it has ended (asked once too, for a job that ended before the subscription). */
export function finishedJob(client: ApiClient, jobId: string): Promise<JobInfo> {
  return new Promise((resolve) => {
    const stop = client.onEvent((event) => {
      if (event.type === "job.finished" && event.job.jobId === jobId) {
        stop();
        resolve(event.job);
      }
    });
    void client.api.getJob({ jobId }).then((r) => {
      if (r.ok && r.value.status !== "running") {
        stop();
        resolve(r.value);
      }
    });
  });
}
