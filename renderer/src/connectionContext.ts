/**
 * The connection every view reads the case through (the map's references and tile sources, case
 * files, kept exports). The app provides it once around its views, so a screen is given only the
 * case folder.
 */
import { createContext, useContext } from "react";
import type { Connection } from "./connection.js";

export const ConnectionContext = createContext<Connection | null>(null);

export function useConnection(): Connection {
  const connection = useContext(ConnectionContext);
  if (!connection) throw new Error("a view is shown outside a connected workbench");
  return connection;
}
