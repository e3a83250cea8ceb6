import {
  Background,
  ControlButton,
  Controls,
  MarkerType,
  MiniMap,
  Panel,
  ReactFlow,
  ReactFlowProvider,
  applyNodeChanges,
  useReactFlow,
  useStore,
  type DefaultEdgeOptions,
  type FinalConnectionState,
  type NodeChange,
  type NodeTypes,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { Mesh } from '../../../core/model/types.ts';
import type { ProductStatus } from '../../../core/run/runTypes.ts';
import type { ProductRunState } from '../store/meshRuns.ts';
import { CanvasActionsContext, type CanvasActions } from './canvasContext.ts';
import { CanvasSearch } from './CanvasSearch.tsx';
import { NO_POSITIONS, absolutePositions, asRecord, isTextField, minimapColor, productUnder } from './canvasEvents.ts';
import { DomainNode } from './DomainNode.tsx';
import { DOMAIN_HEADER, PRODUCT_WIDTH, portOfHandle, productHeight, type Point } from './geometry.ts';
import { FAR_ZOOM, NORMAL_TYPE, PRESENTATION_TYPE, detailLevel, isFar, selectZoomStep, summaryTypeVariables } from './levelOfDetail.ts';
import { layoutInput, layoutKey, meshToFlow, type CanvasNode, type LineageFlowEdge } from './meshToFlow.ts';
import { ProblemList } from './ProblemList.tsx';
import { problemCounts, type ProductProblems } from './problems.ts';
import { ProductNode } from './ProductNode.tsx';
import { shareUnchanged } from './stableNodes.ts';
import { useAutoFit } from './useAutoFit.ts';
import { useMeshLayout } from './useMeshLayout.ts';

export interface MeshCanvasProps {
  readonly mesh: Mesh;
  /** Product id → run status; a product that is absent is idle. */
  readonly statuses: Readonly<Record<string, ProductStatus>>;
  /** Saved product positions (absolute, top-left); missing ones come from elk. A Map is read the same way. */
  readonly positions?: Readonly<Record<string, Point>> | ReadonlyMap<string, Point>;
  readonly selected?: string;
  /** Product ids to emphasise (governance impact). */
  readonly highlighted?: ReadonlySet<string>;
  /** What is wrong, by product (problems.ts meshProblems): a count on each card, the words in the canvas's problem list. */
  readonly problems?: readonly ProductProblems[];
  /** Presentation mode: bigger type when zoomed out. */
  readonly presenting?: boolean;
  /** Product id → the faults in force on it, in words: a badge on each card that has one. */
  readonly faults?: Readonly<Record<string, readonly string[]>>;
  /** Product id → its last run: when given, each node shows what it published or why not. */
  readonly runs?: Readonly<Record<string, ProductRunState>>;
  readonly onSelect?: (productId: string | undefined) => void;
  /** The user dragged from an output handle to a product. */
  readonly onConnect?: (from: { productId: string; port: string }, toProductId: string) => void;
  /** Once per drag gesture (at drag stop) or arrow-key step: the new absolute positions of the products that moved. */
  readonly onMoveProducts?: (positions: Record<string, Point>) => void;
  /** Delete or Backspace on the selected product. */
  readonly onDeleteRequest?: (productId: string) => void;
}

// Module scope: React Flow remounts every node when nodeTypes changes identity.
const NODE_TYPES = { product: ProductNode, domain: DomainNode } satisfies NodeTypes;
const EDGE_OPTIONS: DefaultEdgeOptions = {
  markerEnd: { type: MarkerType.ArrowClosed, width: 12, height: 12, color: 'var(--edge)' },
  labelBgPadding: [4, 2],
  labelBgBorderRadius: 4,
};
/** Above this many products only what is on screen is rendered. Below, every node stays in the DOM. */
const VISIBLE_ONLY_ABOVE = 100;
const MINIMAP_SIZE = { width: 150, height: 100 };
/** Room around the fitted mesh: the top keeps the search box and the problem button off the domains' titles, the left the zoom buttons off the cards. */
const FIT_PADDING = { top: '60px', right: '16px', bottom: '16px', left: '52px' } as const;
/** A big mesh opens at a zoom where products can be read; the mini map shows the whole. */
const BIG_MESH_FIT = { padding: FIT_PADDING, maxZoom: 1, minZoom: FAR_ZOOM + 0.05 };
const FIT = { padding: FIT_PADDING, maxZoom: 1 };
const NO_PROBLEMS: readonly ProductProblems[] = [];

/** The mesh as a canvas: domains as coloured groups, products with their ports, lineage edges labelled with contract versions. */
export function MeshCanvas(props: MeshCanvasProps) {
  return (
    <ReactFlowProvider>
      <Canvas {...props} />
    </ReactFlowProvider>
  );
}

function Canvas({
  mesh,
  statuses,
  positions: givenPositions,
  selected,
  highlighted,
  problems = NO_PROBLEMS,
  presenting = false,
  faults,
  runs,
  onSelect,
  onConnect,
  onMoveProducts,
  onDeleteRequest,
}: MeshCanvasProps) {
  const positions = useMemo(() => asRecord(givenPositions), [givenPositions]);
  const input = useMemo(() => layoutInput(mesh), [mesh]);
  const key = useMemo(() => layoutKey(input), [input]);

  // Drags are kept here until the parent passes new positions (it may not keep them at all).
  const [drags, setDrags] = useState<{ readonly base: typeof positions; readonly moved: Record<string, Point> }>({
    base: positions,
    moved: {},
  });
  const moved = drags.base === positions ? drags.moved : NO_POSITIONS;
  const placed = useMemo(() => ({ ...positions, ...moved }), [positions, moved]);
  const needsLayout = mesh.products.some((p) => placed[p.id] === undefined);
  const { layout, pending, error } = useMeshLayout(input, key, needsLayout);

  // Selection follows the prop when it changes, and the user's clicks in between.
  const [current, setCurrent] = useState(selected);
  const [selectedProp, setSelectedProp] = useState(selected);
  if (selected !== selectedProp) {
    setSelectedProp(selected);
    setCurrent(selected);
  }
  const currentRef = useRef(current);
  currentRef.current = current;
  const select = useCallback(
    (id: string | undefined) => {
      if (id === currentRef.current) return;
      currentRef.current = id;
      setCurrent(id);
      onSelect?.(id);
    },
    [onSelect],
  );

  // Cards keep the heights of geometry.ts whatever their run says (problems are a count on a badge),
  // so domain boxes are drawn from those: measuring them back cost a full meshToFlow per batch of
  // newly rendered cards, hundreds on a 500-product mesh fitted whole.

  const counts = useMemo(() => problemCounts(problems), [problems]);
  const ready = !needsLayout || layout !== undefined;
  const flow = useMemo(
    () =>
      ready ? meshToFlow(mesh, statuses, placed, layout, { runs, problems: counts, faults, highlighted, selected: current }) : undefined,
    [ready, mesh, statuses, placed, layout, runs, counts, faults, highlighted, current],
  );

  // Controlled nodes: React Flow's drag and measure changes are applied here; new flows share unchanged nodes.
  // Starts from the first flow: a mesh that needs no layout (all positions saved, or no products) has it at once.
  const [nodes, setNodes] = useState<CanvasNode[]>(() => [...(flow?.nodes ?? [])]);
  const [syncedFlow, setSyncedFlow] = useState(flow);
  if (flow !== syncedFlow) {
    setSyncedFlow(flow);
    setNodes((previous) => shareUnchanged(previous, flow?.nodes ?? []));
  }
  const nodesRef = useRef(nodes);
  nodesRef.current = nodes.length > 0 ? nodes : (flow?.nodes ?? []);

  const onNodesChange = useCallback(
    (changes: NodeChange<CanvasNode>[]) => {
      const selections = changes.filter((c) => c.type === 'select');
      const picked = selections.find((c) => c.selected);
      if (picked) select(picked.id);
      else if (selections.some((c) => c.id === currentRef.current)) select(undefined);
      const geometry = changes.filter((c) => c.type === 'position' || c.type === 'dimensions');
      if (geometry.length === 0) return;
      const next = applyNodeChanges(geometry, nodesRef.current);
      nodesRef.current = next;
      setNodes(next);
      // `dragging: false` ends a move: the last change of a drag, or an arrow-key step. Reported once each.
      const settled = new Set(geometry.flatMap((c) => (c.type === 'position' && c.dragging === false ? [c.id] : [])));
      if (settled.size === 0) return;
      const moved = absolutePositions(
        next,
        next.filter((n) => settled.has(n.id)),
      );
      if (Object.keys(moved).length === 0) return;
      setDrags((d) => ({ base: positions, moved: { ...(d.base === positions ? d.moved : {}), ...moved } }));
      onMoveProducts?.(moved);
    },
    [select, positions, onMoveProducts],
  );

  const onConnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      const from = state.fromNode;
      const handle = state.fromHandle;
      if (!onConnect || !from || from.type !== 'product' || handle?.type !== 'source' || !handle.id) return;
      const to = state.toNode?.type === 'product' ? state.toNode.id : productUnder(event);
      if (to !== undefined && to !== from.id) onConnect({ productId: from.id, port: portOfHandle(handle.id) }, to);
    },
    [onConnect],
  );

  const searchRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'f' && searchRef.current) {
        event.preventDefault();
        searchRef.current.focus();
        searchRef.current.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const onKeyDown = (event: ReactKeyboardEvent) => {
    if ((event.key === 'Delete' || event.key === 'Backspace') && current !== undefined && !isTextField(event.target)) {
      event.preventDefault();
      onDeleteRequest?.(current);
    }
  };

  const { setCenter, getZoom } = useReactFlow();
  const productPositions = flow?.productPositions;
  /** Search's Enter: select the product, centre it, and move keyboard focus onto it. */
  const focusProduct = useCallback(
    (id: string) => {
      const at = productPositions?.[id];
      const product = mesh.products.find((p) => p.id === id);
      if (!at || !product) return;
      select(id);
      const height = productHeight(product.inputPorts.length, product.outputPorts.length);
      void setCenter(at.x + PRODUCT_WIDTH / 2, at.y + height / 2, { zoom: Math.max(getZoom(), 0.9), duration: 250 }).then(() =>
        document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(id)}"]`)?.focus(),
      );
    },
    [productPositions, mesh, select, setCenter, getZoom],
  );

  const searchable = useMemo(() => mesh.products.map((p) => ({ id: p.id, name: p.name })), [mesh]);
  const far = useStore(isFar);
  const big = mesh.products.length > VISIBLE_ONLY_ABOVE;

  // Level of detail: a step of the zoom, not the zoom, so a zoom gesture re-renders this a few times and no node at all.
  const step = useStore(selectZoomStep);
  const level = detailLevel(step);
  const allEdges = flow?.edges;
  const edges = useMemo(
    () => (level === 'summary' ? allEdges?.map(({ label: _label, ...edge }) => edge) : allEdges) ?? [],
    [level, allEdges],
  );
  const typeStyle = useMemo(
    () => summaryTypeVariables(step, presenting ? PRESENTATION_TYPE : NORMAL_TYPE, DOMAIN_HEADER) as CSSProperties,
    [step, presenting],
  );

  const container = useRef<HTMLDivElement>(null);
  const autoFit = useAutoFit(container, big ? BIG_MESH_FIT : FIT, FIT, key, flow !== undefined);

  const [problemsOpen, setProblemsOpen] = useState(false);
  const [problemFocus, setProblemFocus] = useState<string | undefined>();
  const actions = useMemo<CanvasActions>(
    () => ({
      showProblems: (id) => {
        setProblemFocus(id);
        setProblemsOpen(true);
      },
    }),
    [],
  );

  if (!flow) {
    return (
      <div className="mesh-canvas mesh-canvas-pending" aria-busy="true">
        <p className="canvas-note" aria-live="polite">
          Laying out {mesh.products.length} data product{mesh.products.length === 1 ? '' : 's'}…
        </p>
      </div>
    );
  }
  return (
    <div
      ref={container}
      className={`mesh-canvas mesh-canvas-${level}${far ? ' mesh-canvas-far' : ''}${presenting ? ' mesh-canvas-presenting' : ''}`}
      style={typeStyle}
      data-zoom-step={step}
      data-following={autoFit.following ? 'true' : 'false'}
      onKeyDown={onKeyDown}
    >
      <CanvasActionsContext.Provider value={actions}>
        <ReactFlow<CanvasNode, LineageFlowEdge>
          nodes={nodes}
          edges={edges}
          nodeTypes={NODE_TYPES}
          defaultEdgeOptions={EDGE_OPTIONS}
          onNodesChange={onNodesChange}
          onConnectEnd={onConnectEnd}
          nodesConnectable={onConnect !== undefined}
          edgesFocusable={false}
          deleteKeyCode={null}
          onMoveStart={autoFit.onMoveStart}
          minZoom={0.05}
          maxZoom={2}
          onlyRenderVisibleElements={big}
        >
          {/* The dot grid is repainted on every frame of a pan: only small meshes can afford it. */}
          {!big && <Background gap={24} />}
          {/* Fitted, the whole mesh is on screen and the mini map would only cover part of it. */}
          {(big || !autoFit.following) && (
            <MiniMap
              pannable
              zoomable
              ariaLabel="Overview map of the mesh"
              nodeColor={minimapColor}
              nodeStrokeWidth={0}
              style={MINIMAP_SIZE}
            />
          )}
          {/* Our own fit button: React Flow's queues a fit that a controlled canvas may never run (useAutoFit.ts). */}
          <Controls showInteractive={false} showFitView={false}>
            <ControlButton onClick={autoFit.fitAndFollow} title="Fit View" aria-label="Fit View" className="react-flow__controls-fitview">
              <FitIcon />
            </ControlButton>
          </Controls>
          <Panel position="top-left">
            <CanvasSearch products={searchable} onFocusProduct={focusProduct} inputRef={searchRef} />
          </Panel>
          <Panel position="top-right" className="canvas-top-right">
            {(pending || error) && (
              <p className="canvas-note" aria-live="polite">
                {error ?? 'Laying out…'}
              </p>
            )}
            <ProblemList
              groups={problems}
              open={problemsOpen}
              focused={problemFocus}
              onToggle={() => {
                setProblemsOpen((o) => !o);
                setProblemFocus(undefined);
              }}
              onSelectProduct={focusProduct}
            />
          </Panel>
        </ReactFlow>
      </CanvasActionsContext.Provider>
    </div>
  );
}

/** The four corners of a frame, as React Flow's own fit button draws it. */
function FitIcon() {
  return (
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 30" aria-hidden="true">
      <path d="M3.692 4.63c0-.53.4-.938.939-.938h5.215V0H4.708C2.13 0 0 2.054 0 4.63v5.216h3.692V4.631zM27.354 0h-5.2v3.692h5.17c.53 0 .984.4.984.939v5.215H32V4.631A4.624 4.624 0 0027.354 0zm.954 24.83c0 .532-.4.94-.939.94h-5.215v3.768h5.215c2.577 0 4.631-2.13 4.631-4.707v-5.139h-3.692v5.139zm-23.677.94c-.531 0-.939-.4-.939-.94v-5.138H0v5.139c0 2.577 2.13 4.707 4.708 4.707h5.138V25.77H4.631z" />
    </svg>
  );
}
