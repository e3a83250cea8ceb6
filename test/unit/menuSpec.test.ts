import { describe, expect, it } from 'vitest';
import { menuSpec, type MenuItemSpec } from '../../electron/menuSpec.ts';

const labels = (items: readonly MenuItemSpec[]): string[] =>
  items.flatMap((item) => ('label' in item ? [item.label] : 'role' in item ? [item.role] : []));

const context = { samples: [{ folder: 'daff', title: 'Daff' }], recent: ['/home/me/mesh'] };

describe('the desktop menus', () => {
  it('have every command of the issue with its shortcut', () => {
    const menus = menuSpec(context);
    const byLabel = Object.fromEntries(menus.map((m) => [m.label, labels(m.items)]));
    expect(byLabel).toEqual({
      File: ['New Mesh…', 'Open Folder…', 'Open Sample', 'Open Recent', 'Save', 'Save As…', 'quit'],
      Edit: ['Undo', 'Redo'],
      View: ['zoomIn', 'zoomOut', 'resetZoom', 'Toggle Inspector', 'Toggle Run Log', 'togglefullscreen'],
      Help: ['Quanta Help', 'About Quanta'],
    });
    const file = menus[0]?.items ?? [];
    expect(file.find((i) => 'label' in i && i.label === 'Save')).toMatchObject({ command: 'save', accelerator: 'CmdOrCtrl+S' });
    expect(menus[1]?.items.find((i) => 'label' in i && i.label === 'Redo')).toMatchObject({ accelerator: 'Shift+CmdOrCtrl+Z' });
    expect(file.find((i) => 'label' in i && i.label === 'Open Sample')).toMatchObject({
      submenu: [{ label: 'Daff', command: 'open-sample', argument: 'daff' }],
    });
    expect(file.find((i) => 'label' in i && i.label === 'Open Recent')).toMatchObject({
      submenu: [{ label: '/home/me/mesh', action: 'open-recent', argument: '/home/me/mesh' }],
    });
  });

  // Checklist: DevTools is a console with the page's powers (window.quanta included).
  it('have no DevTools and no Reload in a packaged app, nor when the flag is left out', () => {
    for (const menus of [menuSpec(context), menuSpec({ ...context, developerTools: false })]) {
      const all = JSON.stringify(menus);
      expect(all).not.toContain('toggleDevTools');
      expect(all).not.toContain('"reload"');
    }
  });

  it('offer Reload and Toggle Developer Tools in a development run', () => {
    const view = menuSpec({ ...context, developerTools: true }).find((m) => m.label === 'View');
    expect(labels(view?.items ?? []).slice(-3)).toEqual(['togglefullscreen', 'reload', 'toggleDevTools']);
  });
});
