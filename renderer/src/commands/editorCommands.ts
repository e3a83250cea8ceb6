import type { AppStore } from '../store/appStore.ts';
import type { MeshDocument } from '../workspace/meshDocument.ts';
import type { Command } from './registry.ts';

/** What the editor's commands act on and open: EditorScreen passes its state and its dialog setters. */
export interface EditorCommandContext {
  readonly store: AppStore;
  readonly doc: MeshDocument;
  readonly drafting: boolean;
  readonly running: boolean;
  readonly hasRun: boolean;
  readonly ticks: number;
  readonly presenting: boolean;
  readonly showGovernance: boolean;
  readonly scenarioOpen: boolean;
  readonly openDialog: (kind: 'new-product' | 'new-domain' | 'rename-domain' | 'delete-domain' | 'teams' | 'reset-runs' | 'delete') => void;
  readonly togglePresenting: () => void;
  readonly toggleGovernance: () => void;
  readonly exportZip: () => void;
  readonly back: () => void;
  /** The marketplace (or a product page) is on screen instead of the canvas. */
  readonly marketplaceOpen: boolean;
  readonly toggleMarketplace: () => void;
  readonly openProductPage: (productId: string) => void;
}

/** A toolbar control of another component (Import data opens its own file picker), clicked by name. */
function clickButton(name: string): void {
  const button = [...document.querySelectorAll<HTMLButtonElement>('.editor-toolbar button')].find((b) =>
    (b.getAttribute('aria-label') ?? b.textContent ?? '').trim().startsWith(name),
  );
  button?.click();
}

const NO_PRODUCTS = 'the mesh has no products yet';

/** Every action of the editor as a command: the toolbar's, the menu's, and one "Go to" per product. */
export function editorCommands(c: EditorCommandContext): Command[] {
  const state = () => c.store.getState();
  const { mesh, history, selected } = c.doc;
  const empty = mesh.products.length === 0;
  const busy = c.running ? 'a run is going on' : undefined;
  const selectedName = mesh.products.find((p) => p.id === selected)?.name;
  const commands: Command[] = [
    { id: 'save', title: 'Save now', group: 'File', shortcuts: ['Mod+S'], whileTyping: true, run: () => void state().save() },
    {
      id: 'export-zip',
      title: 'Export the mesh as a .zip',
      group: 'File',
      shortcuts: ['Shift+Mod+E'],
      keywords: 'download archive',
      run: c.exportZip,
    },
    {
      id: 'import-data',
      title: 'Import data (CSV, JSON lines, Parquet)…',
      group: 'File',
      keywords: 'file csv',
      run: () => clickButton('Import data'),
    },
    { id: 'back-to-start', title: 'Back to the start screen', group: 'File', keywords: 'open new close mesh home', run: c.back },
    {
      id: 'undo',
      sheetTitle: 'Undo',
      title: history.undoLabel ? `Undo ${history.undoLabel}` : 'Undo',
      group: 'Edit',
      shortcuts: ['Mod+Z'],
      disabled: history.canUndo ? undefined : 'nothing to undo',
      run: () => state().undo(),
    },
    {
      id: 'redo',
      sheetTitle: 'Redo',
      title: history.redoLabel ? `Redo ${history.redoLabel}` : 'Redo',
      group: 'Edit',
      shortcuts: ['Shift+Mod+Z', 'Mod+Y'],
      disabled: history.canRedo ? undefined : 'nothing to redo',
      run: () => state().redo(),
    },
    {
      id: 'new-product',
      title: 'New data product…',
      group: 'Edit',
      shortcuts: ['Alt+N'],
      keywords: 'add create',
      run: () => c.openDialog('new-product'),
    },
    {
      id: 'new-domain',
      title: 'New domain…',
      group: 'Edit',
      shortcuts: ['Alt+D'],
      keywords: 'add create',
      run: () => c.openDialog('new-domain'),
    },
    {
      id: 'rename-domain',
      title: 'Rename a domain…',
      group: 'Edit',
      disabled: mesh.domains.length === 0 ? 'the mesh has no domains' : undefined,
      run: () => c.openDialog('rename-domain'),
    },
    {
      id: 'delete-domain',
      title: 'Delete a domain…',
      group: 'Edit',
      keywords: 'remove',
      disabled: mesh.domains.length === 0 ? 'the mesh has no domains' : undefined,
      run: () => clickButton('Delete domain'),
    },
    {
      id: 'teams-personas',
      title: 'Teams & personas…',
      group: 'Edit',
      keywords: 'owners people mesh.yaml',
      run: () => clickButton('Teams & personas'),
    },
    {
      id: 'delete-domain',
      title: 'Delete a domain…',
      group: 'Edit',
      keywords: 'remove',
      disabled: mesh.domains.length === 0 ? 'the mesh has no domains' : undefined,
      run: () => c.openDialog('delete-domain'),
    },
    { id: 'teams', title: 'Teams & personas…', group: 'Edit', keywords: 'mesh settings owners people', run: () => c.openDialog('teams') },
    {
      id: 'delete-product',
      title: selectedName ? `Delete ${selectedName}…` : 'Delete the selected product…',
      group: 'Edit',
      keywords: 'remove',
      disabled: selected === undefined ? 'select a product first' : undefined,
      run: () => c.openDialog('delete'),
    },
    {
      id: 'what-if',
      title: 'What if… (start a draft)',
      group: 'Edit',
      shortcuts: ['Alt+W'],
      keywords: 'draft impact',
      disabled: c.drafting ? 'a draft is open' : undefined,
      run: () => state().startDraft(),
    },
    {
      id: 'run-all',
      title: 'Run all',
      group: 'Run',
      shortcuts: ['Mod+Enter'],
      keywords: 'execute mesh',
      disabled: busy ?? (empty ? NO_PRODUCTS : undefined),
      run: () => void state().runDocument(),
    },
    {
      // Escape stops it too (editor/StopRun.tsx), outside text fields and dialogs.
      id: 'stop-run',
      title: 'Stop the run under way',
      group: 'Run',
      keywords: 'cancel abort halt',
      disabled: c.running ? undefined : 'nothing is running',
      run: () => state().stopRun(),
    },
    {
      id: 'run-selected',
      sheetTitle: 'Run the selected product',
      title: selectedName ? `Run ${selectedName}` : 'Run the selected product',
      group: 'Run',
      shortcuts: ['Alt+R'],
      disabled: busy ?? (selected === undefined ? 'select a product first' : undefined),
      run: () => selected !== undefined && void state().runProduct(selected),
    },
    {
      id: 'tick',
      sheetTitle: 'Tick (as many as the toolbar says)',
      title: `Tick ×${c.ticks}`,
      group: 'Run',
      shortcuts: ['Shift+Mod+Enter'],
      keywords: 'clock advance time',
      disabled: busy ?? (empty ? NO_PRODUCTS : undefined),
      run: () => void state().tickDocument(c.ticks),
    },
    {
      id: 'reset-runs',
      title: 'Reset runs…',
      group: 'Run',
      keywords: 'clear',
      disabled: busy ?? (c.hasRun ? undefined : 'nothing has run yet'),
      run: () => c.openDialog('reset-runs'),
    },
    {
      // The run log's button too (editor/RunLog.tsx): this session's runs as OpenLineage events.
      id: 'download-openlineage',
      title: 'Download OpenLineage events of this session',
      group: 'Run',
      keywords: 'lineage export marquez jsonl run events',
      disabled: state().hasOpenLineage() ? undefined : 'nothing has run yet',
      run: () => void state().downloadOpenLineage(),
    },
    {
      id: 'toggle-inspector',
      sheetTitle: 'Show or hide the inspector',
      title: state().panels.inspector ? 'Hide the inspector' : 'Show the inspector',
      group: 'View',
      shortcuts: ['Alt+I'],
      keywords: 'panel',
      run: () => state().togglePanel('inspector'),
    },
    {
      id: 'toggle-run-log',
      sheetTitle: 'Show or hide the run log',
      title: state().panels.log ? 'Hide the run log' : 'Show the run log',
      group: 'View',
      shortcuts: ['Alt+L'],
      keywords: 'panel problems',
      run: () => state().togglePanel('log'),
    },
    {
      id: 'toggle-scenarios',
      sheetTitle: 'Open or close the scenarios',
      title: c.scenarioOpen ? 'Close the scenarios' : 'Open the scenarios',
      group: 'View',
      shortcuts: ['Alt+S'],
      keywords: 'workshop briefing goals hints',
      run: () => (c.scenarioOpen ? state().closeScenarioPanel() : state().openScenarioPanel()),
    },
    {
      id: 'toggle-presenting',
      sheetTitle: 'Present, or stop presenting',
      title: c.presenting ? 'Stop presenting' : 'Present (projector mode)',
      group: 'View',
      shortcuts: ['Shift+P'],
      keywords: 'projector presentation',
      run: c.togglePresenting,
    },
    {
      id: 'toggle-marketplace',
      sheetTitle: 'Open or close the marketplace',
      title: c.marketplaceOpen ? 'Back to the canvas' : 'Open the marketplace',
      group: 'View',
      shortcuts: ['Alt+M'],
      keywords: 'discover search find catalog data product page ranking feedback',
      run: c.toggleMarketplace,
    },
    {
      id: 'find-product',
      title: 'Find a data product on the canvas',
      group: 'View',
      shortcuts: ['Mod+F'],
      keywords: 'search',
      run: () => document.querySelector<HTMLInputElement>('.canvas-search input')?.focus(),
    },
    {
      id: 'toggle-governance',
      sheetTitle: 'Open or close the governance panel',
      title: c.showGovernance ? 'Close the governance panel' : 'Open the governance panel',
      group: 'Governance',
      shortcuts: ['Alt+G'],
      keywords: 'policies score scorecard sql console',
      run: c.toggleGovernance,
    },
  ];
  for (const product of mesh.products)
    commands.push({
      id: `select:${product.id}`,
      title: product.name,
      group: 'Go to',
      keywords: `select product ${product.id} ${product.domain}`,
      paletteOnly: true,
      run: () => state().select(product.id),
    });
  for (const product of mesh.products)
    commands.push({
      id: `page:${product.id}`,
      title: `${product.name}: product page`,
      group: 'Go to',
      keywords: `marketplace discover page ${product.id} ${product.domain}`,
      paletteOnly: true,
      run: () => c.openProductPage(product.id),
    });
  return commands;
}
