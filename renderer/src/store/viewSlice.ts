import type { SliceCreator, ViewSlice } from './state.ts';

/** Which panels of the editor are shown; the canvas is always there. */
export const createViewSlice: SliceCreator<ViewSlice> = (set) => ({
  panels: { inspector: true, log: true },
  togglePanel: (panel) => set((s) => ({ panels: { ...s.panels, [panel]: !s.panels[panel] } })),
});
