/** A URL to show a case file from, or why it cannot be shown; revoked when the path changes. */
import { useEffect, useState } from "react";
import type { Connection } from "../../connection.js";

export function useFileUrl(connection: Connection, dir: string, path: string | null): [string | null, string | null] {
  const [url, setUrl] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    if (!path) return;
    let alive = true;
    let made: string | null = null;
    connection
      .fileUrl(dir, path)
      .then((u) => {
        made = u;
        if (alive) setUrl(u);
        else URL.revokeObjectURL(u);
      })
      .catch((error: Error) => alive && setFailure(error.message));
    return () => {
      alive = false;
      if (made) URL.revokeObjectURL(made);
      setUrl(null);
      setFailure(null);
    };
  }, [connection, dir, path]);
  return [url, failure];
}
