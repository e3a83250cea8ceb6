import { useCallback, useEffect, useRef, useState } from 'react';
import type { Contract, DataProduct, OutputPort } from '../../../../core/model/types.ts';
import { checkRuleNow, stopCheckNow, type CheckNowResult } from '../../../../core/run/checkNow.ts';
import type { ColumnInfo } from '../../../../core/run/quantumProtocol.ts';
import { useAppStoreApi } from '../../store/AppStoreProvider.tsx';

/** The data a rule is checked on: the port's newest published version, or the refused output of its last run. */
export interface CheckSource {
  readonly ipc: Uint8Array;
  readonly columns?: readonly ColumnInfo[] | undefined;
  readonly rows: number;
  /** In words, for "Passes on …": "version 3", "the refused output of tick 2". */
  readonly label: string;
}

/** Where a check-now result came from: which rule, on which data. */
export interface CheckNowState {
  readonly key: string;
  readonly running: boolean;
  readonly on: string;
  readonly result?: CheckNowResult;
}

/**
 * "Run this check now" for the Quality form: one rule measured on the port's newest data in a
 * quantum of the app's host (core/run/checkNow.ts), nothing published. `key` names the rule the
 * result belongs to; a newer request replaces an older one's result.
 */
export function useCheckNow(product: DataProduct, port: OutputPort, data: CheckSource | undefined) {
  const store = useAppStoreApi();
  const [state, setState] = useState<CheckNowState | undefined>(undefined);
  const latest = useRef(0);
  useEffect(
    () => () => {
      latest.current++;
    },
    [],
  );
  // New data (a run published or refused): a result about the old data would mislead.
  const label = data?.label;
  useEffect(() => {
    latest.current++;
    setState(undefined);
  }, [label, data?.ipc]);
  const run = useCallback(
    async (key: string, contract: Contract, path: readonly (string | number)[]) => {
      if (!data) return;
      const ticket = ++latest.current;
      setState({ key, running: true, on: data.label });
      let result: CheckNowResult;
      try {
        const host = await store.getState().quantumHost();
        result = await checkRuleNow(host, product, port, contract, path, { ipc: data.ipc, columns: data.columns });
      } catch (error) {
        result = { status: 'error', message: error instanceof Error ? error.message : String(error) };
      }
      if (ticket === latest.current) setState({ key, running: false, on: data.label, result });
    },
    [store, product, port, data],
  );
  /** Stops the check under way: its quantum is stopped and replaced, the result says so. */
  const stop = useCallback(() => {
    void store
      .getState()
      .quantumHost()
      .then((host) => stopCheckNow(host, product.id));
  }, [store, product.id]);
  const clear = useCallback(() => {
    latest.current++;
    setState(undefined);
  }, []);
  return { state, run, stop, clear };
}
