import { useCallback, useEffect, useRef, useState } from 'react';
import type { Contract, DataProduct, OutputPort } from '../../../../core/model/types.ts';
import { checkRuleNow, type CheckNowResult } from '../../../../core/run/checkNow.ts';
import type { PortVersion } from '../../../../core/run/runTypes.ts';
import { useAppStoreApi } from '../../store/AppStoreProvider.tsx';

/** Where a check-now result came from: which rule, on which version's data. */
export interface CheckNowState {
  readonly key: string;
  readonly running: boolean;
  readonly version: number;
  readonly result?: CheckNowResult;
}

/**
 * "Run this check now" for the Quality form: one rule measured on the port's newest data in a
 * quantum of the app's host (core/run/checkNow.ts), nothing published. `key` names the rule the
 * result belongs to; a newer request replaces an older one's result.
 */
export function useCheckNow(product: DataProduct, port: OutputPort, data: PortVersion | undefined) {
  const store = useAppStoreApi();
  const [state, setState] = useState<CheckNowState | undefined>(undefined);
  const latest = useRef(0);
  useEffect(
    () => () => {
      latest.current++;
    },
    [],
  );
  const run = useCallback(
    async (key: string, contract: Contract, path: readonly (string | number)[]) => {
      if (!data?.ipc) return;
      const ticket = ++latest.current;
      setState({ key, running: true, version: data.version });
      let result: CheckNowResult;
      try {
        const host = await store.getState().quantumHost();
        result = await checkRuleNow(host, product, port, contract, path, { ipc: data.ipc, columns: data.columns });
      } catch (error) {
        result = { status: 'error', message: error instanceof Error ? error.message : String(error) };
      }
      if (ticket === latest.current) setState({ key, running: false, version: data.version, result });
    },
    [store, product, port, data],
  );
  const clear = useCallback(() => {
    latest.current++;
    setState(undefined);
  }, []);
  return { state, run, clear };
}
