/** Long jobs (imports, verification) by id: their progress, outcome and cancel switch. */
import { randomUUID } from "node:crypto";
import { emptyProgress, type JobInfo } from "../../shared/api/contract.js";
import { SightlineError } from "./sightlineError.js";

interface Job {
  info: JobInfo;
  controller: AbortController;
  done: Promise<void>;
}

export class JobRegistry {
  private readonly jobs = new Map<string, Job>();

  /** Registers a job and starts `run`, which reports into the info it is given. */
  start(
    dir: string,
    run: (info: JobInfo, signal: AbortSignal) => Promise<void>,
    kind: JobInfo["kind"] = "import",
  ): JobInfo {
    const info: JobInfo = {
      jobId: randomUUID(),
      kind,
      dir,
      status: "running",
      progress: emptyProgress("scanning"),
      outcomes: [],
      warnings: [],
    };
    const controller = new AbortController();
    const done = run(info, controller.signal);
    this.jobs.set(info.jobId, { info, controller, done });
    return info;
  }

  /** Whether a job is running on the case in `dir` (as given to `start`). */
  isRunning(dir: string): boolean {
    return [...this.jobs.values()].some((j) => j.info.dir === dir && j.info.status === "running");
  }

  get(jobId: string): JobInfo {
    const job = this.jobs.get(jobId);
    if (!job) throw new SightlineError("not-found", `no job ${jobId}`);
    return job.info;
  }

  cancel(jobId: string): JobInfo {
    const job = this.jobs.get(jobId);
    if (!job) throw new SightlineError("not-found", `no job ${jobId}`);
    job.controller.abort();
    return job.info;
  }

  /** Waits for every running job to end (used on shutdown and in tests). */
  async settle(): Promise<void> {
    await Promise.all([...this.jobs.values()].map((j) => j.done.catch(() => undefined)));
  }
}
