/**
 * Work run one task at a time per key (a case folder, a checkpoint file), in the order asked: a
 * task starts once the one before it for that key has settled, whether it succeeded or failed.
 * A key is forgotten when its last task settles, so the map holds only keys with work pending.
 */
export class KeyedQueue<T> {
  private readonly tails = new Map<string, Promise<T>>();

  /** Runs `task` after the tasks already queued for `key`; its own outcome is returned. */
  run(key: string, task: () => Promise<T>): Promise<T> {
    const next = (this.tails.get(key) ?? Promise.resolve()).catch(() => undefined).then(task);
    this.tails.set(key, next);
    void next
      .catch(() => undefined)
      .then(() => {
        if (this.tails.get(key) === next) this.tails.delete(key);
      });
    return next;
  }

  /** Whether a task for `key` is queued or running. */
  has(key: string): boolean {
    return this.tails.has(key);
  }
}
