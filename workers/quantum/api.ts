/**
 * The one interface of a quantum: a data product's own DuckDB-WASM instance. The worker
 * file only exposes an object that `satisfies QuantumApi`; callers wrap it with Comlink.
 * Everything that crosses the thread boundary is plain data: Arrow IPC bytes (transferred),
 * numbers, strings — errors included, flattened to QuantumError. The types are declared in
 * core (core/run/quantumProtocol.ts) because the orchestrator there speaks the same protocol.
 */
export type {
  ColumnInfo,
  ColumnProfile,
  DeclaredColumnType,
  FinishOutcome,
  Measurement,
  PortExport,
  PortMeasures,
  PortRequest,
  PortRun,
  QuantumApi,
  QuantumError,
  QuantumSettings,
  QueryOutcome,
  RunOutcome,
  RunRequest,
  SourceInput,
  StartOutcome,
  TableFault,
} from '../../core/run/quantumProtocol.ts';
