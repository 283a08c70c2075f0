/** A case picture, fetched with the session's token and shown veiled until the examiner reveals it. */
import { Center, Text } from "@mantine/core";
import { useEffect, useState } from "react";
import type { Connection } from "../connection.js";

export function Thumbnail({
  connection,
  dir,
  path,
  alt,
  isRevealed,
}: {
  connection: Connection;
  dir: string;
  path: string | null;
  alt: string;
  isRevealed: boolean;
}) {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
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
      .catch(() => alive && setFailed(true));
    return () => {
      alive = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [connection, dir, path]);
  if (!path || failed) {
    return (
      <Center h="100%" bg="var(--mantine-color-default-hover)">
        <Text size="xs" c="dimmed">
          {failed ? "preview unavailable" : "no preview"}
        </Text>
      </Center>
    );
  }
  return (
    <div style={{ width: "100%", height: "100%", overflow: "hidden", background: "#111" }}>
      {url && (
        <img
          src={url}
          alt={alt}
          draggable={false}
          className={isRevealed ? undefined : "media-veiled"}
          style={{ width: "100%", height: "100%", objectFit: "cover", display: "block" }}
        />
      )}
    </div>
  );
}
