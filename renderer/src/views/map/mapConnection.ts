/**
 * The connection the map reads the case through (references, tile sources, case files). The app
 * provides it once around its views, so screens that embed the map pass only the case folder.
 */
import { createContext, useContext } from "react";
import type { Connection } from "../../connection.js";

export const MapConnectionContext = createContext<Connection | null>(null);

export function useMapConnection(): Connection {
  const connection = useContext(MapConnectionContext);
  if (!connection) throw new Error("the map is shown outside a connected workbench");
  return connection;
}
