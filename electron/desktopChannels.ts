/**
 * The channel names of the desktop contract (desktopContract.ts), spelled once for preload
 * and main. Imports nothing at run time, so the sandboxed preload bundle stays tiny and free
 * of Node code; `satisfies` makes a renamed, missing or extra channel a `tsc` error.
 */
import type { DesktopCallChannels, DesktopCalls, DesktopCommand, DesktopEventChannels } from './desktopContract.ts';

const CALL_CHANNELS = {
  openFolder: 'mesh:open-folder',
  openRecent: 'mesh:open-recent',
  recentMeshes: 'mesh:recent',
  save: 'mesh:save',
  acknowledge: 'mesh:acknowledge',
} as const satisfies DesktopCallChannels;

/** main → renderer */
const EVENT_CHANNELS = {
  onCommand: 'quanta:command',
  onExternalChange: 'quanta:external-change',
} as const satisfies DesktopEventChannels;

export const DESKTOP_CHANNELS = { ...CALL_CHANNELS, ...EVENT_CHANNELS } as const;

/** The renderer → main calls: main.ts binds each to the backend's handler of the same name. */
export const DESKTOP_CALLS = Object.freeze(Object.keys(CALL_CHANNELS) as (keyof DesktopCalls)[]);

// Keyed by command so a command the contract adds or drops is a tsc error here too.
const COMMANDS: { readonly [C in DesktopCommand]: true } = {
  'new-mesh': true,
  'open-folder': true,
  'open-recent': true,
  'open-sample': true,
  save: true,
  'save-as': true,
  undo: true,
  redo: true,
  'toggle-inspector': true,
  'toggle-run-log': true,
  'show-help': true,
};

/** The menu commands main may send; the preload passes on these and drops anything else. */
export const DESKTOP_COMMANDS: readonly string[] = Object.freeze(Object.keys(COMMANDS));

export function isDesktopCommand(value: unknown): value is DesktopCommand {
  return typeof value === 'string' && DESKTOP_COMMANDS.includes(value);
}
