import { expect } from 'vitest';
import { loadMesh } from '../core/load/loadMesh.ts';
import type { PortVersion, QuantumHost } from '../core/run/runTypes.ts';
import { createAppStore, type AppState, type AppStore, type AppStoreOptions } from '../renderer/src/store/appStore.ts';
import type { MeshRunState, ProductRunState } from '../renderer/src/store/meshRuns.ts';
import type { MeshDocument } from '../renderer/src/workspace/meshDocument.ts';
import { documentKey } from '../renderer/src/workspace/meshDocument.ts';
import { InProcessHost } from '../workers/node/inProcessHost.ts';
import { sampleInMemory } from './helpers.ts';

/*
 * A fluent driver of the app store for Node tests: open a sample, edit, run, wait, read —
 * the way the app's components and shortcuts call the store, on real DuckDB-WASM quanta
 * (the in-process host). Hosts made by drivers are disposed by `disposeDriverHosts` (call it
 * in afterAll).
 *
 *   const app = await StoreDriver.sample('hello-mesh');
 *   await app.runAll();
 *   app.replace('domains/finance/daily-revenue/transform.sql', 'SUM', 'sum');
 *   expect(app.product('daily-revenue')).toMatchObject({ changedSinceRun: true });
 */
const hosts: InProcessHost[] = [];

export async function disposeDriverHosts(): Promise<void> {
  await Promise.all(hosts.splice(0).map((h) => h.dispose()));
}

/** Options of createAppStore; the host defaults to an in-process pool of `quanta` (default 1) quanta. */
export type DriverOptions = Partial<AppStoreOptions> & { readonly quanta?: number };

export class StoreDriver {
  /** How many times the store asked for a quantum host. */
  hostsCreated = 0;
  readonly store: AppStore;

  constructor(options: DriverOptions = {}) {
    const { quanta = 1, ...rest } = options;
    this.store = createAppStore({
      folders: [],
      openSample: undefined,
      createHost: async (): Promise<QuantumHost> => {
        this.hostsCreated++;
        const host = new InProcessHost(quanta);
        hosts.push(host);
        return host;
      },
      ...rest,
    });
  }

  /** A store with the bundled sample `name` loaded and open, as the start screen leaves it. */
  static async sample(name: string, options: DriverOptions = {}): Promise<StoreDriver> {
    const driver = new StoreDriver({ folders: [name], openSample: name, ...options });
    const { fs } = await sampleInMemory(name);
    driver.state.setSampleState(name, { status: 'loaded', loaded: await loadMesh(fs), files: fs });
    return driver;
  }

  get state(): AppState {
    return this.store.getState();
  }

  /** The open document; fails the test when none is open. */
  doc(): MeshDocument {
    const document = this.state.document;
    if (document.status !== 'open') throw new Error(`no open document (it is ${document.status})`);
    return document.doc;
  }

  /** The open document's key in `runs`. */
  get key(): string {
    return documentKey(this.doc().origin);
  }

  /** The text of a mesh file of the open document (of the draft while one is open). */
  text(path: string): string {
    const file = (this.state.draft ?? this.doc()).files.get(path);
    if (!file) throw new Error(`${path} is not in the mesh`);
    return file.text;
  }

  /** Replaces a file's text, as the inspector's editors do; the edit must be accepted. */
  write(path: string, text: string, label = `Edit ${path}`): this {
    expect(this.state.change({ edit: { kind: 'setText', file: path, text } }, label), this.state.notice).toBe(true);
    return this;
  }

  /** Replaces `from` with `to` in a file; `from` must be there. */
  replace(path: string, from: string, to: string): this {
    const text = this.text(path);
    expect(text, `${path} should contain ${JSON.stringify(from)}`).toContain(from);
    return this.write(path, text.replace(from, to));
  }

  /** Appends a line to a file (an edit that changes nothing the mesh means). */
  append(path: string, line: string): this {
    return this.write(path, `${this.text(path)}\n${line}\n`);
  }

  async runAll(): Promise<this> {
    await this.state.runDocument();
    return this;
  }

  async run(productId: string): Promise<this> {
    await this.state.runProduct(productId);
    return this;
  }

  async tick(ticks = 1): Promise<this> {
    await this.state.tickDocument(ticks);
    return this;
  }

  /** The open document's runs (undefined before the first). */
  runs(): MeshRunState | undefined {
    return this.state.runs[this.key];
  }

  /** One product's run state (undefined while it never ran). */
  product(id: string): ProductRunState | undefined {
    return this.runs()?.products[id];
  }

  /** Version numbers a port published, oldest first. */
  versions(productId: string, port: string): number[] {
    return this.state.portHistory(productId, port).map((v: PortVersion) => v.version);
  }

  /** Resolves with the first state `ready` accepts (now or after a change), or fails after `ms`. */
  until(ready: (state: AppState) => boolean, ms = 60_000): Promise<AppState> {
    const store = this.store;
    return new Promise((resolve, reject) => {
      let unsubscribe = (): void => undefined;
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new Error(`the store did not reach the expected state within ${ms} ms`));
      }, ms);
      const check = (state: AppState): void => {
        if (!ready(state)) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(state);
      };
      unsubscribe = store.subscribe(check);
      check(store.getState());
    });
  }

  /** Waits for the governance slice's report of the document, evaluated and current. */
  governed(ready: (report: NonNullable<AppState['governance']['report']>) => boolean = () => true): Promise<AppState> {
    return this.until((s) => !s.governance.evaluating && s.governance.report !== undefined && ready(s.governance.report));
  }
}
