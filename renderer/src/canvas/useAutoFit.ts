import { getViewportForBounds, useNodesInitialized, useReactFlow, useStoreApi, type FitViewOptions, type OnMoveStart } from '@xyflow/react';
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';

export interface AutoFit {
  /** For ReactFlow's onMoveStart: a move the canvas did not make itself ends following. */
  readonly onMoveStart: OnMoveStart;
  /** Fit now and follow again (the Controls' fit button). */
  readonly fitAndFollow: () => void;
  /** True while the view is the fitted one (the user has not panned or zoomed since). */
  readonly following: boolean;
}

/**
 * Fits the whole mesh into the canvas when it opens, and again whenever the canvas changes
 * size (a panel opens or closes, the window is resized, presentation mode) or the layout does
 * — until the user pans or zooms, after which the view is theirs until they press Fit view.
 * Why not ReactFlow's `fitView` (prop or call): it is queued until React Flow next sets its
 * nodes itself, which a controlled canvas that takes only the changes it wants (MeshCanvas's
 * onNodesChange) may never do — the view stayed at zoom 1 with most of daff cut off. The
 * viewport is computed here from the nodes' bounds and the canvas's size instead.
 */
export function useAutoFit(
  container: RefObject<HTMLElement | null>,
  /** How the mesh opens (a big one at a zoom where products can be read, not all of it). */
  openOptions: FitViewOptions,
  /** What the Fit view button shows: the whole mesh. */
  wholeOptions: FitViewOptions,
  layoutKey: string,
  /** The canvas is drawn (not waiting for its first layout), so `container` is attached. */
  drawn: boolean,
): AutoFit {
  const { getNodesBounds, setViewport } = useReactFlow();
  const flowStore = useStoreApi();
  const [following, setFollowing] = useState(true);
  const followingRef = useRef(true);
  // Moves made by our own fits, which must not count as the user's.
  const fitting = useRef(0);
  // Until the user presses Fit view, fits keep to how the mesh opened.
  const [fitWhole, setFitWhole] = useState(false);
  const options = fitWhole ? wholeOptions : openOptions;
  const optionsRef = useRef(options);
  optionsRef.current = options;

  const fit = useCallback(() => {
    const { nodes, width, height, minZoom, maxZoom } = flowStore.getState();
    if (nodes.length === 0 || width === 0 || height === 0) return;
    const options = optionsRef.current;
    const viewport = getViewportForBounds(
      getNodesBounds(nodes),
      width,
      height,
      options.minZoom ?? minZoom,
      options.maxZoom ?? maxZoom,
      options.padding ?? 0.1,
    );
    fitting.current += 1;
    void setViewport(viewport).finally(() => {
      fitting.current -= 1;
    });
  }, [flowStore, getNodesBounds, setViewport]);

  const follow = useCallback((value: boolean) => {
    followingRef.current = value;
    setFollowing(value);
  }, []);

  const fitAndFollow = useCallback(() => {
    follow(true);
    setFitWhole(true);
    optionsRef.current = wholeOptions;
    fit();
  }, [fit, follow, wholeOptions]);

  const onMoveStart = useCallback<OnMoveStart>(() => {
    if (fitting.current === 0 && followingRef.current) follow(false);
  }, [follow]);

  // Every node has a size: the bounds are known.
  const measured = useNodesInitialized();
  useEffect(() => {
    if (measured && followingRef.current) fit();
  }, [fit, measured, layoutKey, options]);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      // One fit per frame of a resize, after React Flow has read the new size.
      frame = requestAnimationFrame(() => {
        if (followingRef.current) fit();
      });
    });
    observer.observe(element);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
    };
  }, [container, fit, drawn]);

  return { onMoveStart, fitAndFollow, following };
}
