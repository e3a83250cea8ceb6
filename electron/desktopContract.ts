/**
 * The desktop contract: every channel between the renderer and main, its arguments and its
 * result, written once. **Types only** (no value, no import): the renderer may `import type`
 * this one file of electron/ (renderer/src/platform/desktopApi.ts; eslint.config.js allows
 * nothing else), and code Node tests load can use it without pulling in `electron`.
 *
 * Who checks what against it, so a drift is a `tsc` error, not a bug found by a user:
 * - preloadApi.ts builds `window.quanta` `satisfies DesktopApi`;
 * - desktopChannels.ts spells every channel name `satisfies DesktopChannels`;
 * - DesktopBackend `implements DesktopHandlers` (what main.ts binds to each call);
 * - main.ts sends events typed by `DesktopEvents`;
 * - the renderer reads the API through these types (desktopApi.ts).
 * test/unit/desktopContract.test.ts proves the checks bite by compiling drifted copies.
 */

/** What opening did about a save a crash interrupted (electron/saveJournal.ts RecoveryReport); paths mesh-relative. */
export interface DesktopRecovery {
  /** A journal was found: the interrupted save was completed. */
  readonly completedSave: boolean;
  /** Files that save was completed for. */
  readonly rolledForward: readonly string[];
  /** Temp files of interrupted saves, removed. */
  readonly removed: readonly string[];
  /** `<file>.conflict-<id>`: content that was neither the old nor the new version, kept beside its file. */
  readonly preserved: readonly string[];
  /** Files another program changed after the crash, left as they are. */
  readonly kept: readonly string[];
}

/** A mesh folder main has read whole. */
export interface DesktopOpenedMesh {
  readonly folder: string;
  /** Mesh-relative path → content. */
  readonly files: Readonly<Record<string, Uint8Array>>;
  /** What opening did about a save a crash interrupted; the renderer tells the user. */
  readonly recovery: DesktopRecovery;
}

export type DesktopOpenResult =
  | { readonly ok: true; readonly mesh: DesktopOpenedMesh }
  | { readonly ok: false; readonly message: string }
  | { readonly ok: false; readonly cancelled: true };

/** One save of several files, all or none; `content: null` deletes the file. */
export interface DesktopSaveRequest {
  readonly changes: readonly { readonly path: string; readonly content: Uint8Array | null }[];
  /** Write even over files another program changed since they were read (the user chose to). */
  readonly overwrite?: boolean;
}

export type DesktopSaveResult =
  | { readonly ok: true; readonly written: readonly string[]; readonly deleted: readonly string[] }
  | {
      readonly ok: false;
      readonly conflicts: readonly string[];
      /** The save was undone; other programs' content that could not go back to its name, kept as `<file>.conflict-<id>`. */
      readonly preserved?: readonly string[];
    };

/**
 * Menu commands main sends (electron/menuSpec.ts): `open-recent` carries the folder,
 * `open-sample` the sample's folder; the others carry nothing.
 */
export type DesktopCommand =
  | 'new-mesh'
  | 'open-folder'
  | 'open-recent'
  | 'open-sample'
  | 'save'
  | 'save-as'
  | 'undo'
  | 'redo'
  | 'toggle-inspector'
  | 'toggle-run-log'
  | 'show-help';

/**
 * Renderer → main calls (`ipcRenderer.invoke`), by the API method's name: the fixed channel,
 * the arguments the page passes (at most one: main validates it, electron/ipcArguments.ts)
 * and what main answers.
 */
export interface DesktopCalls {
  /** Main shows the native folder picker, so the page can never name an arbitrary folder. */
  readonly openFolder: { readonly channel: 'mesh:open-folder'; readonly args: []; readonly result: DesktopOpenResult };
  /** Only a folder main listed in `recentMeshes` opens. */
  readonly openRecent: { readonly channel: 'mesh:open-recent'; readonly args: [folder: string]; readonly result: DesktopOpenResult };
  readonly recentMeshes: { readonly channel: 'mesh:recent'; readonly args: []; readonly result: string[] };
  readonly save: { readonly channel: 'mesh:save'; readonly args: [request: DesktopSaveRequest]; readonly result: DesktopSaveResult };
  /** Files the renderer took in after an external change: the watcher stops reporting them. */
  readonly acknowledge: { readonly channel: 'mesh:acknowledge'; readonly args: [paths: string[]]; readonly result: void };
}

/** Main → renderer messages (`webContents.send`), by the API's listener name. */
export interface DesktopEvents {
  readonly onCommand: { readonly channel: 'quanta:command'; readonly args: [command: DesktopCommand, argument?: string] };
  /** Files changed on disk by another program (not by Quanta's own saves). */
  readonly onExternalChange: { readonly channel: 'quanta:external-change'; readonly args: [paths: string[]] };
}

/** `window.quanta` in the desktop app; absent in the web build. Listeners return the function that stops listening. */
export type DesktopApi = { readonly version: string } & {
  readonly [K in keyof DesktopCalls]: (...args: DesktopCalls[K]['args']) => Promise<DesktopCalls[K]['result']>;
} & {
  readonly [K in keyof DesktopEvents]: (listener: (...args: DesktopEvents[K]['args']) => void) => () => void;
};

/** Every call's channel name, by API method: spelled once in desktopChannels.ts. */
export type DesktopCallChannels = { readonly [K in keyof DesktopCalls]: DesktopCalls[K]['channel'] };
/** Every event's channel name, by API listener. */
export type DesktopEventChannels = { readonly [K in keyof DesktopEvents]: DesktopEvents[K]['channel'] };

/**
 * What main runs for each call. The argument arrives unchecked (the page is untrusted): a
 * handler takes `unknown`, validates it, and must answer the call's result.
 */
export type DesktopHandlers = {
  readonly [K in keyof DesktopCalls]: (argument?: unknown) => Promise<DesktopCalls[K]['result']>;
};
