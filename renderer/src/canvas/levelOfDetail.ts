/*
 * Level of detail on the canvas, as plain numbers (pure, tested in Node). Zoomed in, a product
 * card shows everything; zoomed out it shows its name, status and domain colour, in type sized
 * so it reads on screen (a projector at 1280×720) whatever the zoom. The canvas selects a
 * *step* of the zoom from React Flow's store, not the zoom itself: a zoom gesture re-renders the
 * canvas a few times, and no product node at all (the sizes reach the cards as CSS variables).
 */

/** At and above this zoom a card shows its ports, id, archetype and last run. */
export const DETAIL_ZOOM = 0.75;

/** Below this zoom the canvas counts as far out (a big mesh opens just above it). */
export const FAR_ZOOM = 0.45;

/** Summary type is sized for zooms down to this one; further out it shrinks with the canvas. */
export const MIN_TYPE_ZOOM = 0.3;

/** Zoom steps: the type is re-sized when the zoom crosses one, so it never reads smaller than asked. */
const STEP = 0.025;

/** On-screen sizes of the summary's type, in CSS pixels; presentation mode asks for bigger type. */
export interface ScreenType {
  /** A product's name. */
  readonly name: number;
  /** A product's status and problem count. */
  readonly small: number;
  /** A domain's name. */
  readonly domain: number;
}

export const NORMAL_TYPE: ScreenType = { name: 13, small: 11, domain: 18 };
export const PRESENTATION_TYPE: ScreenType = { name: 14, small: 12, domain: 21 };

/**
 * The zoom the summary's type is sized for: the zoom rounded *down* to a step (so type sized
 * for it is at least as big on screen as asked), clamped to [MIN_TYPE_ZOOM, DETAIL_ZOOM]. At
 * DETAIL_ZOOM and above the cards show their details in their own sizes.
 */
export function zoomStep(zoom: number): number {
  if (!(zoom < DETAIL_ZOOM)) return DETAIL_ZOOM;
  const stepped = Math.floor(zoom / STEP + 1e-9) * STEP;
  return Math.max(MIN_TYPE_ZOOM, Math.round(stepped * 1000) / 1000);
}

/** In summary, edges lose their contract-version labels too: nothing to read at that size, and far less to measure while panning a big mesh. */
export type DetailLevel = 'detail' | 'summary';

export function detailLevel(step: number): DetailLevel {
  return step >= DETAIL_ZOOM ? 'detail' : 'summary';
}

/** A canvas-space size (CSS px inside the zoomed viewport) that shows `screenPx` tall at zoom `step`. */
export function canvasPx(screenPx: number, step: number): number {
  return Math.round((screenPx / step) * 10) / 10;
}

/** React Flow store selector: module scope, so it is one function for the canvas's lifetime. */
export function selectZoomStep(state: { readonly transform: readonly [number, number, number] }): number {
  return zoomStep(state.transform[2]);
}

export function isFar(state: { readonly transform: readonly [number, number, number] }): boolean {
  return state.transform[2] < FAR_ZOOM;
}

/**
 * The CSS variables the canvas sets for a zoom step: the summary's type in canvas pixels, so
 * the cards need not know the zoom. Domain titles stop growing at the height of a domain's
 * header band (`headerPx`), where they would run into the cards.
 */
export function summaryTypeVariables(step: number, type: ScreenType, headerPx: number): Record<string, string> {
  return {
    '--lod-name': `${canvasPx(type.name, step)}px`,
    '--lod-small': `${canvasPx(type.small, step)}px`,
    '--lod-domain': `${Math.min(canvasPx(type.domain, step), headerPx - 6)}px`,
    // Lineage lines keep a visible weight too.
    '--lod-line': `${canvasPx(LINE_PX, step)}px`,
  };
}

const LINE_PX = 1.5;

/**
 * Characters in the longest word of a name: a card's summary type shrinks below --lod-name
 * when that word would not fit the card's width (canvasLevels.css), so a name wraps between
 * words instead of inside one.
 */
export function longestWord(name: string): number {
  return Math.max(1, ...name.split(/[\s/_-]+/).map((word) => [...word].length));
}
