/**
 * The exercise of the open case (null when it is not one), kept current: read when the case
 * opens and again whenever its ledger moves (a hint opened, the work submitted, scored).
 */
import { useCallback, useEffect, useState } from "react";
import type { ApiClient } from "../../../api/apiClient.js";
import type { ExerciseInfo } from "../../../../shared/api/trainingContract.js";

export function useExercise(client: ApiClient, dir: string) {
  const [exercise, setExercise] = useState<ExerciseInfo | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    let alive = true;
    void client.api.getExercise({ dir }).then((r) => {
      if (!alive) return;
      if (!r.ok) return setProblem(r.error.message);
      setProblem(null);
      setExercise(r.value);
    });
    return () => {
      alive = false;
    };
  }, [client, dir, version]);

  useEffect(
    () =>
      client.onEvent((e) => {
        if (e.type === "ledger.appended" && e.dir === dir) refresh();
      }),
    [client, dir, refresh],
  );

  return { exercise, problem, refresh };
}

/** The time now, moved on every `everyMs` (for a clock on screen; not for measuring anything). */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}
