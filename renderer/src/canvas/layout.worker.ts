import ELK from 'elkjs/lib/elk.bundled.js';
import { fromElkGraph, toElkGraph } from './elkGraph.ts';
import type { LayoutRequest, LayoutResponse } from './layoutProtocol.ts';

/*
 * elk in its own module worker, so a 500-product layout (about two seconds) never blocks the
 * canvas. elk.bundled.js runs elk in this thread; constructed without a worker URL it also
 * installs its own `self.onmessage` (for elk's worker protocol), which is replaced below. It
 * uses no eval, so it runs under the page's CSP (script-src 'self' 'wasm-unsafe-eval').
 */
const elk = new ELK();
// The worker's global scope, as far as this file uses it (the DOM lib types `self` as a Window).
const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<LayoutRequest>) => void) | null;
  postMessage: (response: LayoutResponse) => void;
};

scope.onmessage = (event) => {
  const { id, input } = event.data;
  const started = performance.now();
  const reply = (response: LayoutResponse) => scope.postMessage(response);
  elk.layout(toElkGraph(input)).then(
    (graph) => reply({ id, ok: true, layout: fromElkGraph(input, graph), ms: performance.now() - started }),
    (error: unknown) =>
      reply({
        id,
        ok: false,
        error: error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) },
      }),
  );
};
