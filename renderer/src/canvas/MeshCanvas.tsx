import {
  Background,
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
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { Mesh } from '../../../core/model/types.ts';
import type { ProductStatus } from '../../../core/run/runTypes.ts';
import type { ProductRunState } from '../store/meshRuns.ts';
import { CanvasSearch } from './CanvasSearch.tsx';
import { FAR_ZOOM, NO_POSITIONS, absolutePositions, asRecord, isFar, isTextField, minimapColor, productUnder } from './canvasEvents.ts';
import { DomainNode } from './DomainNode.tsx';
import { PRODUCT_WIDTH, portOfHandle, productHeight, type Point } from './geometry.ts';
import { layoutInput, layoutKey, meshToFlow, type CanvasNode, type LineageFlowEdge } from './meshToFlow.ts';
import { ProductNode } from './ProductNode.tsx';
import { shareUnchanged } from './stableNodes.ts';
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
  /** Product id → violation count, shown on the node when > 0. */
  readonly badges?: Readonly<Record<string, number>>;
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
  markerEnd: { type: MarkerType.ArrowClosed, width: 12, height: 12, color: '#8d97a6' },
  labelBgPadding: [4, 2],
  labelBgBorderRadius: 4,
};
/** Above this many products only what is on screen is rendered. Below, every node stays in the DOM. */
const VISIBLE_ONLY_ABOVE = 100;
const MINIMAP_SIZE = { width: 150, height: 100 };
/** A big mesh opens at a zoom where products can be read; the mini map shows the whole. */
const BIG_MESH_FIT = { padding: 0.08, maxZoom: 1, minZoom: FAR_ZOOM + 0.05 };
const FIT = { padding: 0.08, maxZoom: 1 };

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
  badges,
  runs,
  onSelect,
  onConnect,
  onMoveProducts,
  onDeleteRequest,
}: MeshCanvasProps) {
  const positions = useMemo(() => asRecord(givenPositions), [givenPositions]);
  const input = useMemo(() => layoutInput(mesh), [mesh]);
  const productIds = useMemo(() => new Set(mesh.products.map((p) => p.id)), [mesh]);
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

  // Measured card heights, so a domain box grows with a card that shows its run's problems.
  const [heights, setHeights] = useState<Readonly<Record<string, number>>>({});
  const heightsRef = useRef(heights);
  heightsRef.current = heights;

  const ready = !needsLayout || layout !== undefined;
  const flow = useMemo(
    () => (ready ? meshToFlow(mesh, statuses, placed, layout, { runs, badges, highlighted, selected: current, heights }) : undefined),
    [ready, mesh, statuses, placed, layout, runs, badges, highlighted, current, heights],
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
      const grown: Record<string, number> = {};
      for (const c of geometry) {
        if (c.type !== 'dimensions' || !c.dimensions || !productIds.has(c.id)) continue;
        const height = Math.round(c.dimensions.height);
        if (heightsRef.current[c.id] !== height) grown[c.id] = height;
      }
      if (Object.keys(grown).length > 0) setHeights((h) => ({ ...h, ...grown }));
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
    [select, positions, onMoveProducts, productIds],
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
  const allEdges = flow?.edges;
  const edges = useMemo(() => (far ? allEdges?.map(({ label: _label, ...edge }) => edge) : allEdges) ?? [], [far, allEdges]);
  const big = mesh.products.length > VISIBLE_ONLY_ABOVE;

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
    <div className={`mesh-canvas${far ? ' mesh-canvas-far' : ''}`} onKeyDown={onKeyDown}>
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
        fitView
        fitViewOptions={big ? BIG_MESH_FIT : FIT}
        minZoom={0.05}
        maxZoom={2}
        onlyRenderVisibleElements={big}
      >
        {/* The dot grid is repainted on every frame of a pan: only small meshes can afford it. */}
        {!big && <Background gap={24} />}
        <MiniMap pannable zoomable ariaLabel="Overview map of the mesh" nodeColor={minimapColor} nodeStrokeWidth={0} style={MINIMAP_SIZE} />
        <Controls showInteractive={false} />
        <Panel position="top-left">
          <CanvasSearch products={searchable} onFocusProduct={focusProduct} inputRef={searchRef} />
        </Panel>
        {(pending || error) && (
          <Panel position="top-right">
            <p className="canvas-note" aria-live="polite">
              {error ?? 'Laying out…'}
            </p>
          </Panel>
        )}
      </ReactFlow>
    </div>
  );
}
