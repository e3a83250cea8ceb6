import { describe, expect, it } from 'vitest';
import { DESKTOP_CALLS, DESKTOP_CHANNELS } from '../../electron/desktopChannels.ts';
import { createPreloadApi, type PreloadIpc } from '../../electron/preloadApi.ts';

/* Checklist 20: the page gets named functions on fixed channels, never an Electron object. */

type Listener = (event: unknown, ...args: unknown[]) => void;

/** A stand-in for ipcRenderer that records what the API sends and lets the test deliver messages. */
function recordingIpc() {
  const invoked: unknown[][] = [];
  const listeners = new Map<string, Set<Listener>>();
  const ipc: PreloadIpc = {
    invoke: async (channel, ...args) => {
      invoked.push([channel, ...args]);
      return undefined;
    },
    on: (channel, listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener)),
    off: (channel, listener) => listeners.get(channel)?.delete(listener),
  };
  const deliver = (channel: string, ...args: unknown[]): void => {
    // The event Electron passes carries `sender`, the ipcRenderer itself.
    for (const l of listeners.get(channel) ?? []) l({ sender: ipc }, ...args);
  };
  return { ipc, invoked, listeners, deliver };
}

describe('window.quanta (preloadApi.ts)', () => {
  it('is a frozen object of the named functions and the version, nothing else', () => {
    const api = createPreloadApi(recordingIpc().ipc, '0.1.0');
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.keys(api).sort()).toEqual(
      ['acknowledge', 'onCommand', 'onExternalChange', 'openFolder', 'openRecent', 'recentMeshes', 'save', 'version'].sort(),
    );
    for (const [key, value] of Object.entries(api)) {
      if (key !== 'version') expect(typeof value, key).toBe('function');
    }
    expect(api.version).toBe('0.1.0');
  });

  it('sends each call on its own fixed channel: the page cannot name a channel', async () => {
    const { ipc, invoked } = recordingIpc();
    const api = createPreloadApi(ipc, '0.1.0');
    await api.openFolder();
    await api.openRecent('/m');
    await api.recentMeshes();
    await api.save({ changes: [{ path: 'mesh.yaml', content: null }] });
    await api.acknowledge(['mesh.yaml']);
    expect(invoked.map((call) => call[0])).toEqual([
      'mesh:open-folder',
      'mesh:open-recent',
      'mesh:recent',
      'mesh:save',
      'mesh:acknowledge',
    ]);
  });

  it('hands listeners the values only, never the event with its sender', () => {
    const { ipc, deliver, listeners } = recordingIpc();
    const api = createPreloadApi(ipc, '0.1.0');
    const received: unknown[][] = [];
    const stop = api.onCommand((...args) => received.push(args));
    const stopChanges = api.onExternalChange((paths) => received.push([paths]));
    deliver('quanta:command', 'open-recent', '/m');
    deliver('quanta:command', 'save');
    deliver('quanta:command', { not: 'a command' });
    deliver('quanta:external-change', ['a.yaml', 7]);
    expect(received).toEqual([['open-recent', '/m'], ['save'], [['a.yaml']]]);
    stop();
    stopChanges();
    expect([...(listeners.get('quanta:command') ?? [])]).toEqual([]);
    expect([...(listeners.get('quanta:external-change') ?? [])]).toEqual([]);
  });

  it('passes on only the menu commands of the desktop contract', () => {
    const { ipc, deliver } = recordingIpc();
    const received: unknown[][] = [];
    createPreloadApi(ipc, '0.1.0').onCommand((...args) => received.push(args));
    deliver('quanta:command', 'format-disk');
    deliver('quanta:command', 'toggle-run-log');
    expect(received).toEqual([['toggle-run-log']]);
  });

  it('uses the same channel names as main', () => {
    // Preload and main both read DESKTOP_CHANNELS (one spelling, checked against the
    // desktop contract by tsc); the names on the wire stay these.
    expect(DESKTOP_CHANNELS).toEqual({
      openFolder: 'mesh:open-folder',
      openRecent: 'mesh:open-recent',
      recentMeshes: 'mesh:recent',
      save: 'mesh:save',
      acknowledge: 'mesh:acknowledge',
      onCommand: 'quanta:command',
      onExternalChange: 'quanta:external-change',
    });
    expect([...DESKTOP_CALLS].sort()).toEqual(['acknowledge', 'openFolder', 'openRecent', 'recentMeshes', 'save']);
  });
});
