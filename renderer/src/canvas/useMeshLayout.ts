import { useEffect, useRef, useState } from 'react';
import { gridLayout, type LayoutInput, type MeshLayout } from './elkGraph.ts';
import type { LayoutRequest, LayoutResponse } from './layoutProtocol.ts';

export interface MeshLayoutState {
  /** The newest finished layout, possibly of an older key while a new one is computed. */
  readonly layout: MeshLayout | undefined;
  /** A layout for the current key is being computed. */
  readonly pending: boolean;
  /** Why elk failed, in plain words; the layout is then a simple grid. */
  readonly error: string | undefined;
}

interface Done {
  readonly key: string;
  readonly layout: MeshLayout;
  readonly error?: string;
}

/**
 * Lays the mesh out with elk in a Web Worker, once per `key` (products, ports and lineage —
 * not statuses), and only when `needed` (some product has no saved position). Each layout
 * gets a fresh worker that is terminated when it answers or when the key changes: an
 * outdated layout is never applied, and no worker idles while the user edits.
 */
export function useMeshLayout(input: LayoutInput, key: string, needed: boolean): MeshLayoutState {
  const [done, setDone] = useState<Done | undefined>(undefined);
  const latestInput = useRef(input);
  latestInput.current = input;

  useEffect(() => {
    if (!needed) return;
    const request: LayoutRequest = { id: 1, input: latestInput.current };
    const fallback = (message: string) =>
      setDone({ key, layout: gridLayout(request.input), error: `Automatic layout failed (${message}); products are stacked by domain.` });
    const worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module', name: 'canvas-layout' });
    let live = true;
    worker.onmessage = (event: MessageEvent<LayoutResponse>) => {
      if (!live) return;
      live = false;
      worker.terminate();
      const response = event.data;
      if (response.ok) setDone({ key, layout: response.layout });
      else fallback(response.error.message);
    };
    worker.onerror = (event) => {
      if (!live) return;
      live = false;
      worker.terminate();
      fallback(event.message || 'the layout worker did not start');
    };
    worker.postMessage(request);
    return () => {
      live = false;
      worker.terminate();
    };
  }, [key, needed]);

  return { layout: done?.layout, pending: needed && done?.key !== key, error: done?.key === key ? done.error : undefined };
}
