/**
 * What main does for the renderer, without Electron: main.ts binds each method to its IPC
 * channel (desktopContract.ts's DesktopCalls), after checking the sender. Opening a folder goes through a native dialog that
 * main shows (`chooseFolder`), so the renderer can never name an arbitrary folder; saving
 * validates every argument (ipcArguments.ts). **No `electron` import.**
 */
import { acknowledgeArguments, recentArguments, saveArguments } from './ipcArguments.ts';
import { MeshFolderError, MeshSession, type SaveResult } from './meshSession.ts';
import type { RecentMeshes } from './recentMeshes.ts';
import { DESKTOP_CALLS, DESKTOP_CHANNELS } from './desktopChannels.ts';
import type { DesktopHandlers, DesktopOpenResult } from './desktopContract.ts';

export interface BackendPorts {
  /** Shows the native folder picker; undefined when the user cancels. */
  readonly chooseFolder: () => Promise<string | undefined>;
  readonly recent: RecentMeshes;
  /** Tells the renderer that files changed on disk (not by Quanta). */
  readonly notifyExternalChange: (paths: string[]) => void;
  /** The recent list changed: main rebuilds the menu. */
  readonly onRecentChanged?: (recent: string[]) => void;
}

/**
 * Binds every call of the desktop contract, on its own channel, to the handler of the same
 * name. main.ts passes `handle`, which checks the sender first; tests pass an in-process one.
 */
export function bindDesktopCalls(
  handlers: DesktopHandlers,
  handle: (channel: string, run: (argument: unknown) => Promise<unknown>) => void,
): void {
  for (const call of DESKTOP_CALLS) handle(DESKTOP_CHANNELS[call], (argument) => handlers[call](argument));
}

/** One handler per call of the contract (`implements`): a missing or drifting one fails `tsc`. */
export class DesktopBackend implements DesktopHandlers {
  readonly #ports: BackendPorts;
  #session: MeshSession | undefined;

  constructor(ports: BackendPorts) {
    this.#ports = ports;
  }

  get folder(): string | undefined {
    return this.#session?.root;
  }

  async openFolder(): Promise<DesktopOpenResult> {
    const folder = await this.#ports.chooseFolder();
    if (folder === undefined) return { ok: false, cancelled: true };
    return this.#open(folder);
  }

  async openRecent(argument: unknown): Promise<DesktopOpenResult> {
    return this.#open(recentArguments(argument, await this.#ports.recent.list()));
  }

  recentMeshes(): Promise<string[]> {
    return this.#ports.recent.list();
  }

  async save(argument: unknown): Promise<SaveResult> {
    const { changes, overwrite } = saveArguments(argument);
    if (!this.#session) throw new MeshFolderError('no mesh folder is open; use Save As to choose one');
    return this.#session.save(changes, { overwrite });
  }

  async acknowledge(argument: unknown): Promise<void> {
    const paths = acknowledgeArguments(argument);
    await this.#session?.acknowledge(paths);
  }

  close(): void {
    this.#session?.unwatch();
    this.#session = undefined;
  }

  async #open(folder: string): Promise<DesktopOpenResult> {
    let session: MeshSession;
    let files: Map<string, Uint8Array>;
    try {
      session = await MeshSession.open(folder);
      files = await session.readAll();
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    this.close();
    this.#session = session;
    session.watch((paths) => this.#ports.notifyExternalChange(paths));
    const recent = await this.#ports.recent.add(session.root);
    this.#ports.onRecentChanged?.(recent);
    return { ok: true, mesh: { folder: session.root, files: Object.fromEntries(files), recovery: session.recovery } };
  }
}
