import type { SliceCreator, ViewSlice } from './state.ts';

/** Which panels of the editor are shown (the canvas is always there), and the scenario panel. */
export const createViewSlice: SliceCreator<ViewSlice> = (set) => ({
  panels: { inspector: true, log: true },
  togglePanel: (panel) => set((s) => ({ panels: { ...s.panels, [panel]: !s.panels[panel] } })),
  scenarioPanel: { open: false },
  openScenarioPanel: (chosen) => set({ scenarioPanel: chosen === undefined ? { open: true } : { open: true, chosen } }),
  closeScenarioPanel: () => set({ scenarioPanel: { open: false } }),
  discovery: undefined,
  showDiscovery: (view) => set({ discovery: view }),
  discoveryQuery: '',
  setDiscoveryQuery: (query) => set({ discoveryQuery: query }),
});
