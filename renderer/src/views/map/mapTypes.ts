/**
 * What the map workspace (MapWorkspace.tsx) offers the screens that use it: the geolocation and
 * chronolocation forms, the case map. The forms own the record; the map shows layers, takes
 * clicks, draws markers, areas and the sun's direction, and renders what it shows for a snapshot.
 */
import type { LatLonValue, LayerRef } from "../../../../shared/ledger/geoEvents.js";
import type { MapSnapshotParams } from "../../../../shared/api/geoContract.js";

export interface MapMarker {
  id: string;
  lat: number;
  lon: number;
  /** Short text beside the marker ("1", "A", a name); rendered as text, never markup. */
  label: string;
  kind: "clue" | "place" | "claim" | "eliminated" | "item";
  /** For case-map items: the review status colour key. */
  status?: string;
}

export interface MapWorkspaceHandle {
  /** Renders the map exactly as shown (layers, swipe, markers) to a PNG, with what is needed to show it again. */
  snapshot(): Promise<{ png: Blob; params: MapSnapshotParams }>;
  /** The layer on top (the one a clue is matched on), or null when only a plain basemap shows. */
  activeLayer(): LayerRef | null;
  /** Moves the view to a place, at a zoom if given. */
  centreOn(p: LatLonValue, zoom?: number): void;
}

export interface MapWorkspaceProps {
  dir: string;
  markers?: MapMarker[];
  /** A polygon to draw (a geolocation's area), not closed. */
  area?: LatLonValue[] | null;
  /** While set, a click (or Enter on the keyboard cross-hair) picks a point or adds to an area. */
  pickMode?: "point" | "area" | null;
  onPick?: (p: LatLonValue) => void;
  onAreaChange?: (ring: LatLonValue[]) => void;
  /** The frame (photo or keyframe) for Compare's overlay mode: a URL the page may load, and its size. */
  frame?: { url: string; width: number; height: number; label: string } | null;
  /** The sun to draw at `place` for chronolocation: azimuth from north and elevation, degrees. */
  sun?: { place: LatLonValue; azimuthDeg: number; elevationDeg: number } | null;
  /** Case map: an area drawn to filter the board; called with the ring, or null when cleared. */
  onSelectArea?: (ring: LatLonValue[] | null) => void;
  /** Accessible name of the map region. */
  label: string;
}
