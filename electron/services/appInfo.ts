/** The name and version Sightline records as its tool in collection records. */
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

export const TOOL = { name: "Sightline", version: pkg.version } as const;
