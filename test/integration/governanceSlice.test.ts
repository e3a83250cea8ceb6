import { afterAll, describe, expect, it } from 'vitest';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { createAppStore, type AppState, type AppStore } from '../../renderer/src/store/appStore.ts';
import { InProcessHost } from '../../workers/node/inProcessHost.ts';
import { sampleInMemory } from '../helpers.ts';

/*
 * The app's policy path in Node: the store's governance slice evaluates the open mesh's
 * policies through core's policy gate after every edit and run, and the runtime refuses a
 * publish its blocking violations forbid — what `quanta run` does with the same gate.
 */
const KEY = 'sample:hello-mesh';
const CONTRACT = 'domains/sales/orders/orders.odcs.yaml';
const hosts: InProcessHost[] = [];
afterAll(async () => {
  await Promise.all(hosts.map((h) => h.dispose()));
});

async function helloStore(): Promise<AppStore> {
  const store = createAppStore({
    folders: ['hello-mesh'],
    openSample: 'hello-mesh',
    createHost: async () => {
      const host = new InProcessHost(2);
      hosts.push(host);
      return host;
    },
    policies: { delayMs: 10 },
  });
  const { fs } = await sampleInMemory('hello-mesh');
  store.getState().setSampleState('hello-mesh', { status: 'loaded', loaded: await loadMesh(fs), files: fs });
  return store;
}

/** Resolves with the first state `ready` accepts (now or after a change), or fails after 60 s. */
function until(store: AppStore, ready: (state: AppState) => boolean): Promise<AppState> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the store never reached the state')), 60_000);
    const check = (state: AppState): boolean => {
      if (!ready(state)) return false;
      clearTimeout(timer);
      unsubscribe();
      resolve(state);
      return true;
    };
    const unsubscribe = store.subscribe((state) => void check(state));
    check(store.getState());
  });
}

describe('governance in the app store', () => {
  it('evaluates the open mesh, again after an edit, and a blocking violation refuses the publish', async () => {
    const store = await helloStore();
    const first = await until(store, (s) => s.governance.report !== undefined && !s.governance.evaluating);
    expect(first.governance.report?.blocking).toBe(0);

    const doc = store.getState().document;
    if (doc.status !== 'open') throw new Error('hello-mesh did not open');
    const text = doc.doc.files.get(CONTRACT);
    const before = text && 'text' in text ? text.text : '';
    store
      .getState()
      .change({ edit: { kind: 'setText', file: CONTRACT, text: before.replace('        classification: personal\n', '') } }, 'Unclassify');
    const violated = await until(store, (s) => !s.governance.evaluating && (s.governance.report?.blocking ?? 0) > 0);
    const policy = violated.governance.report?.policies.find((p) => p.id === 'personal-data-classified');
    expect(policy?.violations.map((v) => [v.product, v.column])).toEqual([['orders', 'customer_email']]);

    await store.getState().runDocument();
    const run = store.getState().runs[KEY];
    expect(run?.products['orders']?.status).toBe('refused');
    expect(run?.products['orders']?.last?.checks.find((c) => c.id === 'policy:personal-data-classified')?.passed).toBe(false);
  });

  it('evaluates a what-if draft apart from the saved mesh, which keeps deciding publishes', async () => {
    const store = await helloStore();
    await until(store, (s) => s.governance.report !== undefined && !s.governance.evaluating);
    store.getState().startDraft();
    const draft = store.getState().draft;
    const file = draft?.files.get(CONTRACT);
    const text = file && 'text' in file ? file.text : '';
    // Edits go to the draft while it is open.
    store
      .getState()
      .change({ edit: { kind: 'setText', file: CONTRACT, text: text.replace('        classification: personal\n', '') } }, 'Unclassify');
    const state = await until(store, (s) => (s.draftGovernance?.report?.blocking ?? 0) > 0 && !s.draftGovernance?.evaluating);
    expect(state.governance.report?.blocking).toBe(0);
    await store.getState().runDocument();
    expect(store.getState().runs[KEY]?.products['orders']?.status).toBe('published');
    // Discarded: nothing to compare any more.
    store.getState().discardDraft();
    expect(store.getState().draftGovernance).toBeUndefined();
  });
});
