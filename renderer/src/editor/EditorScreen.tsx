import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { draftImpact, type WhatIfReport } from '../../../core/governance/whatIf.ts';
import { changeLabel, type MeshChange } from '../../../core/edits/meshChanges.ts';
import { GovernanceSidebar } from '../governance/GovernanceSidebar.tsx';
import { useEditorGovernance } from '../governance/useEditorGovernance.ts';
import { Inspector } from '../inspector/Inspector.tsx';
import { MeshCanvas } from '../canvas/MeshCanvas.tsx';
import { meshProblems } from '../canvas/problems.ts';
import { DiagnosticsList } from '../components/DiagnosticsList.tsx';
import { runSummary } from '../components/runText.ts';
import type { DesktopApi } from '../platform/desktopApi.ts';
import { useAppStore, useAppStoreApi, useDesktop } from '../store/AppStoreProvider.tsx';
import type { AppStore } from '../store/appStore.ts';
import { IDLE } from '../store/meshRuns.ts';
import { documentKey, type MeshDocument } from '../workspace/meshDocument.ts';
import { exportZip } from '../workspace/exportMesh.ts';
import { DeleteProductDialog, NewDomainDialog, NewProductDialog, ResetRunsDialog } from './dialogs.tsx';
import { DeleteDomainDialog, RenameDomainDialog, TeamsDialog } from './domainDialogs.tsx';
import { ImportDataButton } from '../import/ImportData.tsx';
import { RunLog, RunLogActions } from './RunLog.tsx';
import { StopRunButton, useStopOnEscape } from './StopRun.tsx';
import { SaveStatus } from './SaveStatus.tsx';
import { DiskNotices } from './DiskNotices.tsx';
import { recoveryNotice } from '../workspace/diskNotices.ts';
import { useEditorShortcuts } from '../commands/shortcuts.ts';
import { editorCommands } from '../commands/editorCommands.ts';
import { useCommands } from '../commands/useCommands.ts';
import { IconButton } from '../components/IconButton.tsx';
import { HelpButtons, ThemeToggle } from '../components/ThemeToggle.tsx';
import { usePresentation, useRememberedRunLog } from './presentation.ts';
import {
  selectDiscovery,
  selectDraft,
  selectExternalChanges,
  selectFaults,
  selectNotice,
  selectPanels,
  selectRun,
  selectScenarioPanel,
} from '../store/selectors.ts';
import { faultText } from '../store/runsSlice.ts';
import { ScenarioPanel } from '../scenarios/ScenarioPanel.tsx';
import { DiscoveryScreen } from '../discovery/DiscoveryScreen.tsx';
import { MarketplaceIcon } from '../discovery/MarketplaceIcon.tsx';
import type { DiscoveryView } from '../store/state.ts';

/** Desktop only: reads the folder again and takes in what changed on disk. */
async function reloadChanged(doc: MeshDocument, store: AppStore, desktop: DesktopApi | undefined): Promise<void> {
  if (doc.origin.kind !== 'desktop' || !desktop) return;
  const result = await desktop.openRecent(doc.origin.folder);
  if (result.ok) {
    // Reading the folder again also completes a save left half-done since: say so.
    const recovery = recoveryNotice(result.mesh.recovery);
    if (recovery) store.getState().showDiskNotices([recovery]);
    await store.getState().reloadFromDisk(new Map(Object.entries(result.mesh.files)));
  } else store.getState().showNotice('message' in result ? result.message : 'The folder could not be read again.');
}

type Dialog =
  | { readonly kind: 'new-product' }
  | { readonly kind: 'new-domain' }
  | { readonly kind: 'rename-domain' }
  | { readonly kind: 'delete-domain' }
  | { readonly kind: 'teams' }
  | { readonly kind: 'delete'; readonly productId: string }
  | { readonly kind: 'reset-runs' }
  | undefined;

/**
 * The editor: toolbar (runs, undo, save state), the canvas, the inspector of the selected
 * product, and the run log. Everything reads the open document from the store and changes it
 * through the store's `change`, so undo, autosave and the runtime follow every edit.
 */
export function EditorScreen({
  doc: saved,
  onBack,
  onDiscover,
}: {
  readonly doc: MeshDocument;
  readonly onBack: () => void;
  /** Shows the marketplace, a product's page, or the canvas again (undefined), through the URL. */
  readonly onDiscover: (view: DiscoveryView | undefined) => void;
}) {
  const store = useAppStoreApi();
  const draft = useAppStore(selectDraft);
  // While a draft is open, the canvas and the inspector show it; the saved document is its baseline.
  const doc = draft ?? saved;
  const impact = useMemo(() => (draft ? draftImpact(saved.mesh, draft.mesh) : undefined), [draft, saved.mesh]);
  const highlighted = useMemo(
    () => (impact ? new Set([...impact.broken.map((b) => b.productId), ...impact.affected]) : undefined),
    [impact],
  );
  const key = documentKey(saved.origin);
  const run = useAppStore(selectRun(key));
  const activeFaults = useAppStore(selectFaults(key));
  const faults = useMemo(() => {
    const byProduct: Record<string, string[]> = {};
    for (const { fault } of activeFaults) (byProduct[fault.product] ??= []).push(faultText(fault));
    return byProduct;
  }, [activeFaults]);
  const notice = useAppStore(selectNotice);
  const [dialog, setDialog] = useState<Dialog>();
  // The field keeps what is typed (it may be empty while editing); the count is clamped to 1..1000, and the field shows it again on blur or Enter.
  const [ticksText, setTicksText] = useState('1');
  const ticks = clampTicks(ticksText);
  const panels = useAppStore(selectPanels);
  const scenarioPanel = useAppStore(selectScenarioPanel);
  const externalChanges = useAppStore(selectExternalChanges);
  const discovery = useAppStore(selectDiscovery);
  const running = run?.running === true;
  const heading = useRef<HTMLHeadingElement>(null);
  // The marketplace and a product page focus their own first control.
  useEffect(() => {
    if (store.getState().discovery === undefined) heading.current?.focus();
  }, [store]);
  const desktop = useDesktop();
  useEditorShortcuts(desktop);
  useRememberedRunLog(store);
  useStopOnEscape(store, running && run.stop === 'available');
  // Presentation mode hides the editing chrome (edit buttons, inspector, governance); runs stay.
  const presentation = usePresentation();
  const { presenting } = presentation;
  const showLog = presenting ? presentation.logOpen : panels.log;
  const [showGovernance, setShowGovernance] = useState(false);
  const gov = useEditorGovernance(key, draft !== undefined);

  const statuses = Object.fromEntries(doc.mesh.products.map((p) => [p.id, (run?.products[p.id] ?? IDLE).status]));
  const positions = doc.mesh.layout?.products;
  const selected = doc.selected;
  const selectedProduct =
    selected === undefined || !panels.inspector || presenting ? undefined : doc.mesh.products.find((p) => p.id === selected);
  // Beside the scenario panel the inspector's column opens only for a selected product: the canvas keeps its room.
  const sidePanel = !presenting && (showGovernance || (panels.inspector && (!scenarioPanel.open || selectedProduct !== undefined)));
  const report = gov.governance.report;
  const problems = useMemo(
    () => meshProblems(doc.mesh, { diagnostics: doc.diagnostics, report, runs: run?.products }),
    [doc.mesh, doc.diagnostics, report, run?.products],
  );
  const lastRun = selectedProduct && run?.products[selectedProduct.id]?.last;
  const changedSinceRun = selectedProduct !== undefined && run?.products[selectedProduct.id]?.changedSinceRun === true;

  const act = useCallback((change: MeshChange) => store.getState().change({ change }, changeLabel(change)), [store]);
  const onSelect = useCallback((productId: string | undefined) => store.getState().select(productId), [store]);
  const onConnect = useCallback(
    (from: { productId: string; port: string }, to: string) => void act({ kind: 'connectPorts', from, to }),
    [act],
  );
  const onMove = useCallback(
    (moved: Record<string, { x: number; y: number }>) =>
      void store
        .getState()
        .change({ change: { kind: 'moveNodes', positions: moved } }, 'Move', `move:${Object.keys(moved).sort().join(',')}`),
    [act],
  );
  const onDeleteRequest = useCallback((productId: string) => setDialog({ kind: 'delete', productId }), []);
  // Every toolbar action, and more, as commands: the palette (Ctrl/Cmd+K), the shortcut sheet and the keys share them.
  const commands = useMemo(
    () =>
      editorCommands({
        store,
        doc,
        drafting: draft !== undefined,
        running,
        hasRun: run !== undefined,
        ticks,
        presenting,
        showGovernance,
        scenarioOpen: scenarioPanel.open,
        openDialog: (kind) => {
          if (kind !== 'delete') setDialog({ kind });
          else if (doc.selected !== undefined) setDialog({ kind, productId: doc.selected });
        },
        togglePresenting: presentation.toggle,
        toggleGovernance: () => setShowGovernance((v) => !v),
        exportZip: () => void exportZip(doc),
        back: onBack,
        marketplaceOpen: discovery !== undefined,
        toggleMarketplace: () => onDiscover(discovery === undefined ? { kind: 'marketplace' } : undefined),
        openProductPage: (product) => onDiscover({ kind: 'product', product }),
      }),
    [
      store,
      doc,
      draft,
      running,
      run,
      ticks,
      presenting,
      showGovernance,
      scenarioPanel.open,
      presentation.toggle,
      onBack,
      panels,
      discovery,
      onDiscover,
    ],
  );
  useCommands('editor', commands);

  return (
    <div className={`editor${presenting ? ' editor-presenting' : ''}`}>
      <header className="editor-toolbar">
        <button type="button" className="back-button" onClick={onBack}>
          ← Start
        </button>
        <h1 className="editor-title" tabIndex={-1} ref={heading} id="mesh-title">
          {doc.title}
        </h1>
        <SaveStatus doc={doc} />
        <div className="toolbar-group toolbar-end" role="group" aria-label="View">
          <button
            type="button"
            className="icon-button with-text marketplace-button"
            aria-label="Marketplace"
            aria-pressed={discovery !== undefined}
            aria-keyshortcuts="Alt+M"
            title="Marketplace: find a data product, ranked by relevance × trust × use (Alt+M)"
            onClick={() => onDiscover(discovery === undefined ? { kind: 'marketplace' } : undefined)}
          >
            <MarketplaceIcon />
            <span>Marketplace</span>
          </button>
          {!presenting && (
            <IconButton
              icon="shield"
              label="Governance"
              hint="policies, score, SQL console"
              shortcut="Alt+G"
              aria-pressed={showGovernance}
              onClick={() => setShowGovernance((v) => !v)}
            />
          )}
          <IconButton
            icon="flag"
            label="Scenarios"
            hint="workshop scenarios of this mesh: briefing, goals, hints"
            shortcut="Alt+S"
            aria-pressed={scenarioPanel.open}
            onClick={() => (scenarioPanel.open ? store.getState().closeScenarioPanel() : store.getState().openScenarioPanel())}
          />
          <IconButton
            icon="present"
            className="present-button"
            label={presenting ? 'Stop presenting' : 'Present'}
            text={presenting ? 'Stop presenting' : 'Present'}
            hint={presenting ? 'back to editing (or Escape)' : 'bigger type, no editing chrome: for a projector'}
            shortcut="Shift+P"
            aria-pressed={presenting}
            onClick={presentation.toggle}
          />
          <span className="toolbar-separator" aria-hidden="true" />
          <ThemeToggle />
          <HelpButtons />
        </div>
        <div className="toolbar-break" />
        {!presenting && (
          <>
            <div className="toolbar-group" role="group" aria-label="File">
              <ImportDataButton mesh={doc.mesh} />
              <IconButton
                icon="download"
                label="Export .zip"
                hint="the mesh folder as a .zip"
                shortcut="Shift+Mod+E"
                onClick={() => void exportZip(doc)}
              />
            </div>
            <div className="toolbar-group" role="group" aria-label="Edit">
              <IconButton
                icon="undo"
                label="Undo"
                hint={doc.history.undoLabel ?? 'nothing to undo'}
                shortcut="Mod+Z"
                onClick={() => store.getState().undo()}
                disabled={!doc.history.canUndo}
              />
              <IconButton
                icon="redo"
                label="Redo"
                hint={doc.history.redoLabel ?? 'nothing to redo'}
                shortcut="Shift+Mod+Z"
                onClick={() => store.getState().redo()}
                disabled={!doc.history.canRedo}
              />
              <span className="toolbar-separator" aria-hidden="true" />
              <IconButton icon="product-plus" label="New product" shortcut="Alt+N" onClick={() => setDialog({ kind: 'new-product' })} />
              <IconButton icon="domain-plus" label="New domain" shortcut="Alt+D" onClick={() => setDialog({ kind: 'new-domain' })} />
              <IconButton
                icon="rename"
                label="Rename domain"
                hint={doc.mesh.domains.length === 0 ? 'the mesh has no domains' : undefined}
                onClick={() => setDialog({ kind: 'rename-domain' })}
                disabled={doc.mesh.domains.length === 0}
              />
              <IconButton
                icon="domain-minus"
                label="Delete domain"
                hint={doc.mesh.domains.length === 0 ? 'the mesh has no domains' : 'the domain with its products, after a confirmation'}
                onClick={() => setDialog({ kind: 'delete-domain' })}
                disabled={doc.mesh.domains.length === 0}
              />
              <IconButton
                icon="people"
                label="Teams & personas"
                hint="the teams and personas of mesh.yaml"
                onClick={() => setDialog({ kind: 'teams' })}
              />
              <IconButton
                icon="trash"
                label="Delete product"
                hint={selected === undefined ? 'select a product first' : `delete ${selected}`}
                disabled={selected === undefined}
                onClick={() => selected !== undefined && setDialog({ kind: 'delete', productId: selected })}
              />
              <span className="toolbar-separator" aria-hidden="true" />
              <IconButton
                icon="what-if"
                label="What if…"
                hint="edit a draft and see what it would break, before anything is applied"
                shortcut="Alt+W"
                disabled={draft !== undefined}
                onClick={() => store.getState().startDraft()}
              />
            </div>
          </>
        )}
        <div className="toolbar-group" role="group" aria-label="Run">
          <IconButton
            icon="play"
            className="run-button"
            label="Run all"
            text={running ? `Running ${run.done}/${run.total}…` : 'Run all'}
            hint="run every product in lineage order"
            shortcut="Mod+Enter"
            disabled={running || doc.mesh.products.length === 0}
            onClick={() => void store.getState().runDocument()}
          />
          {running && run.stop !== undefined && (
            <StopRunButton stopping={run.stop === 'requested'} onStop={() => store.getState().stopRun()} />
          )}
          <label className="tick-count">
            <span className="visually-hidden">Ticks</span>
            <input
              type="number"
              min={1}
              max={1000}
              value={ticksText}
              onChange={(e) => setTicksText(e.target.value)}
              onBlur={() => setTicksText(String(ticks))}
              onKeyDown={(e) => {
                if (e.key === 'Enter') setTicksText(String(ticks));
              }}
            />
          </label>
          <IconButton
            icon="clock"
            label={`Tick ×${ticks}`}
            text={`Tick ×${ticks}`}
            hint="advance the clock and run what is due"
            shortcut="Shift+Mod+Enter"
            disabled={running || doc.mesh.products.length === 0}
            onClick={() => void store.getState().tickDocument(ticks)}
          />
          <IconButton
            icon="reset"
            label="Reset"
            hint="forget every run and published version"
            disabled={running || run === undefined}
            onClick={() => setDialog({ kind: 'reset-runs' })}
          />
        </div>
        <p className="run-summary" role="status">
          {runSummary(run)}
        </p>
      </header>
      {notice && (
        <div className="editor-notice" role="alert">
          {notice}{' '}
          <button type="button" className="link-button" onClick={() => store.getState().dismissNotice()}>
            Dismiss
          </button>
        </div>
      )}
      <DiskNotices />
      {draft && impact && (
        <DraftBar impact={impact} onApply={() => store.getState().applyDraft()} onDiscard={() => store.getState().discardDraft()} />
      )}
      {externalChanges.length > 0 && (
        <div className="editor-notice" role="alert">
          Changed on disk by another program: {externalChanges.join(', ')}.{' '}
          <button type="button" className="link-button" onClick={() => void reloadChanged(doc, store, desktop)}>
            Reload them
          </button>{' '}
          (your own edits stay one Undo away)
        </div>
      )}
      {run?.error && !running && (
        <p className="run-error" role="alert">
          {run.error}
        </p>
      )}
      {/* The inspector's column stays while it is shown, selected product or not: selecting must not resize the canvas under the pointer. */}
      {discovery !== undefined ? (
        <div className="editor-body editor-discovery">
          <DiscoveryScreen doc={doc} view={discovery} go={onDiscover} audit={gov.audit} />
        </div>
      ) : (
        <div className={`editor-body${sidePanel ? ' with-inspector' : ''}${scenarioPanel.open ? ' with-scenario' : ''}`}>
          {scenarioPanel.open && <ScenarioPanel mesh={doc.mesh} onClose={() => store.getState().closeScenarioPanel()} />}
          <section className="editor-canvas" aria-label="Mesh canvas">
            <MeshCanvas
              mesh={doc.mesh}
              statuses={statuses}
              {...(highlighted ? { highlighted } : {})}
              {...(run ? { runs: run.products } : {})}
              {...(positions ? { positions } : {})}
              {...(selected === undefined ? {} : { selected })}
              onSelect={onSelect}
              onConnect={onConnect}
              onMoveProducts={onMove}
              onDeleteRequest={onDeleteRequest}
              problems={problems}
              faults={faults}
              presenting={presenting}
            />
            {doc.mesh.products.length === 0 && !presenting && (
              <div className="canvas-empty" data-testid="canvas-empty">
                <p>
                  <strong>This mesh has no data products yet.</strong> Drop a CSV, JSON lines or Parquet file on the window to make one of
                  it, or start from a blueprint.
                </p>
                <div className="canvas-empty-actions">
                  <button type="button" className="primary" onClick={() => setDialog({ kind: 'new-product' })}>
                    Create a data product…
                  </button>
                  <button type="button" onClick={() => setDialog({ kind: 'new-domain' })}>
                    Create a domain…
                  </button>
                </div>
                <p className="hint">Ctrl/Cmd+K lists every action; ? shows the keyboard shortcuts.</p>
              </div>
            )}
          </section>
          {!presenting && showGovernance && (
            <aside className="editor-inspector" aria-label="Governance">
              <GovernanceSidebar
                mesh={doc.mesh}
                diagnostics={doc.diagnostics}
                governance={gov.governance}
                {...(gov.before ? { before: gov.before } : {})}
                {...(selected === undefined ? {} : { selected })}
                target={gov.target}
                audit={gov.audit}
                onSelectProduct={onSelect}
                onEdit={(edit, label, squashKey) => void store.getState().change({ edit }, label, squashKey)}
              />
            </aside>
          )}
          {!presenting && !showGovernance && panels.inspector && !selectedProduct && !scenarioPanel.open && (
            <aside className="editor-inspector editor-inspector-empty" aria-label="Inspector">
              <p className="hint">
                {doc.mesh.products.length === 0
                  ? 'Nothing to inspect yet: create or import a data product, then select it here.'
                  : 'Select a data product on the canvas (or find it with Ctrl/Cmd+F) to see and edit its description, contract, transform, data and observability.'}
              </p>
            </aside>
          )}
          {!showGovernance && selectedProduct && (
            <aside className="editor-inspector" aria-label={`Inspector: ${selectedProduct.name}`}>
              <Inspector
                key={selectedProduct.id}
                mesh={doc.mesh}
                diagnostics={doc.diagnostics}
                productId={selectedProduct.id}
                onEdit={(edit, label, squashKey) => void store.getState().change({ edit }, label, squashKey)}
                {...(run ? { portVersions: (port: string) => store.getState().portHistory(selectedProduct.id, port) } : {})}
                {...(lastRun ? { run: lastRun } : {})}
                changedSinceRun={changedSinceRun}
                onRunProduct={() => void store.getState().runProduct(selectedProduct.id)}
              />
            </aside>
          )}
        </div>
      )}
      <section className={`editor-log${showLog ? '' : ' collapsed'}`} aria-label="Run log and problems">
        <div className="editor-log-header">
          <button
            type="button"
            className="link-button run-log-toggle"
            aria-expanded={showLog}
            aria-controls="editor-log-body"
            onClick={presenting ? presentation.toggleLog : () => store.getState().togglePanel('log')}
          >
            {showLog ? 'Hide' : 'Show'} run log
          </button>
          {!showLog && run !== undefined && run.log.length > 0 && (
            <span className="run-log-latest" aria-live="polite">
              {run.log[run.log.length - 1]?.text}
            </span>
          )}
          <RunLogActions />
        </div>
        {showLog && (
          <div className="editor-log-body" id="editor-log-body">
            <RunLog entries={run?.log ?? []} onSelect={onSelect} />
            {doc.diagnostics.length > 0 && <DiagnosticsList diagnostics={doc.diagnostics} />}
          </div>
        )}
      </section>
      {dialog?.kind === 'new-product' && (
        <NewProductDialog
          mesh={doc.mesh}
          initialDomain={selectedProduct?.domain}
          onClose={() => setDialog(undefined)}
          onCreate={(request) => {
            const ok = act({ kind: 'createProduct', ...request });
            if (ok) store.getState().select(request.id);
            return ok;
          }}
        />
      )}
      {dialog?.kind === 'new-domain' && (
        <NewDomainDialog
          mesh={doc.mesh}
          onClose={() => setDialog(undefined)}
          onCreate={(request) => act({ kind: 'createDomain', ...request })}
        />
      )}
      {dialog?.kind === 'rename-domain' && (
        <RenameDomainDialog
          mesh={doc.mesh}
          initialDomain={selectedProduct?.domain}
          onClose={() => setDialog(undefined)}
          problem={notice}
          onRename={(rename) => act({ kind: 'renameDomain', ...rename })}
        />
      )}
      {dialog?.kind === 'delete-domain' && (
        <DeleteDomainDialog
          mesh={doc.mesh}
          initialDomain={selectedProduct?.domain}
          onClose={() => setDialog(undefined)}
          onDelete={(domainId) => act({ kind: 'deleteDomain', domainId })}
        />
      )}
      {dialog?.kind === 'teams' && <TeamsDialog mesh={doc.mesh} problem={notice} onChange={act} onClose={() => setDialog(undefined)} />}
      {dialog?.kind === 'reset-runs' && (
        <ResetRunsDialog onClose={() => setDialog(undefined)} onReset={() => store.getState().resetRuns()} />
      )}
      {dialog?.kind === 'delete' && (
        <DeleteProductDialog
          mesh={doc.mesh}
          productId={dialog.productId}
          onClose={() => setDialog(undefined)}
          onDelete={() =>
            void store
              .getState()
              .change({ change: { kind: 'deleteProduct', productId: dialog.productId } }, `Delete product ${dialog.productId}`)
          }
        />
      )}
    </div>
  );
}

/** The what-if bar: what the draft changes and breaks, before anything is applied. */
function DraftBar({
  impact,
  onApply,
  onDiscard,
}: {
  readonly impact: WhatIfReport;
  readonly onApply: () => void;
  readonly onDiscard: () => void;
}) {
  const files = impact.changedFiles.length;
  return (
    <div
      className="draft-bar"
      role="region"
      aria-label="What-if draft"
      data-testid="draft-bar"
      data-broken={impact.broken.map((b) => b.productId).join(' ')}
    >
      <p>
        <strong>Draft</strong> —{' '}
        {files === 0
          ? 'no changes yet; edit the mesh to see what would happen'
          : `${files} file${files === 1 ? '' : 's'} changed, nothing saved`}
        .{' '}
        {impact.broken.length === 0
          ? files > 0 && 'No consumer would break.'
          : `Would break ${impact.broken.length} consumer${impact.broken.length === 1 ? '' : 's'}${impact.affected.length > 0 ? ` and leave ${impact.affected.length} more downstream on stale data` : ''} (highlighted on the canvas).`}
      </p>
      {impact.broken.length > 0 && (
        <ul className="draft-broken">
          {impact.broken.map((b) => (
            <li key={b.productId} data-testid="draft-broken" data-product-id={b.productId}>
              <strong>{b.productId}</strong>: {b.reasons.join('; ')}
            </li>
          ))}
        </ul>
      )}
      <div className="draft-actions">
        <button type="button" className="primary" onClick={onApply}>
          Apply draft
        </button>
        <button type="button" onClick={onDiscard}>
          Discard draft
        </button>
      </div>
    </div>
  );
}

function clampTicks(text: string): number {
  const n = Math.trunc(Number(text));
  return Number.isFinite(n) && n >= 1 ? Math.min(1000, n) : 1;
}
