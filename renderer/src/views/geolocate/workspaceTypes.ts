/** What the "Where and when" workspace offers the forms beside its frame and map. */
import type { RefObject } from "react";
import type { FramePoint, LatLonValue, LayerRef } from "../../../../shared/ledger/geoEvents.js";
import type { MapMarker, MapWorkspaceHandle, MapWorkspaceProps } from "../map/mapTypes.js";
import type { FrameLine, FrameMark } from "./FramePanel.js";

export interface Picking {
  /** Asks for a point on the frame (the image shown now); `then` is not called when the verifier cancels. */
  onFrame(label: string, then: (p: FramePoint) => void): void;
  /** Asks for a point on the map; `then` gets it with the layer on top when it was picked. */
  onMap(label: string, then: (p: LatLonValue, layer: LayerRef | null) => void): void;
}

/** What a form draws: marks on the frame, markers, an area and the sun on the map. */
export interface Overlay {
  frameMarks: FrameMark[];
  frameLines: FrameLine[];
  mapMarkers: MapMarker[];
  area: LatLonValue[] | null;
  /** While set, map clicks add corners to the area. */
  onAreaChange: ((ring: LatLonValue[]) => void) | null;
  sun: MapWorkspaceProps["sun"];
}

export const EMPTY_OVERLAY: Overlay = {
  frameMarks: [],
  frameLines: [],
  mapMarkers: [],
  area: null,
  onAreaChange: null,
  sun: null,
};

export type MapRef = RefObject<MapWorkspaceHandle | null>;
