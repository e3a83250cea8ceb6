import type { LayoutInput, MeshLayout } from './elkGraph.ts';

/** The one request the layout worker answers: plain data both ways. */
export interface LayoutRequest {
  readonly id: number;
  readonly input: LayoutInput;
}

/** Errors cross the thread flattened to plain words, never as Error instances. */
export type LayoutResponse =
  | { readonly id: number; readonly ok: true; readonly layout: MeshLayout; readonly ms: number }
  | { readonly id: number; readonly ok: false; readonly error: { readonly name: string; readonly message: string } };
