/**
 * The desktop menus as data, so Node tests can check them (test/unit/menuSpec.test.ts)
 * without Electron; appMenu.ts turns them into Electron menus. Items with a `command` are
 * sent to the renderer, which owns the mesh being edited; items with a `role` are Electron's.
 * **No `electron` import.**
 */
import type { DesktopCommand } from './desktopContract.ts';

export const RENDERER_COMMANDS = [
  'new-mesh',
  'open-sample',
  'save',
  'save-as',
  'undo',
  'redo',
  'toggle-inspector',
  'toggle-run-log',
  'show-help',
] as const satisfies readonly DesktopCommand[];
export type RendererCommand = (typeof RENDERER_COMMANDS)[number];

export type MenuItemSpec =
  | { readonly label: string; readonly command: RendererCommand; readonly accelerator?: string; readonly argument?: string }
  | {
      readonly label: string;
      readonly action: 'open-folder' | 'open-recent' | 'about';
      readonly accelerator?: string;
      readonly argument?: string;
    }
  | { readonly role: 'zoomIn' | 'zoomOut' | 'resetZoom' | 'togglefullscreen' | 'reload' | 'toggleDevTools' | 'quit' }
  | { readonly label: string; readonly submenu: readonly MenuItemSpec[] }
  | { readonly separator: true };

export interface MenuContext {
  readonly samples: readonly { readonly folder: string; readonly title: string }[];
  readonly recent: readonly string[];
  /**
   * A development run (`npm start`, not packaged): View gets Reload and Toggle Developer
   * Tools. A packaged app has neither: DevTools is a console with the page's powers
   * (window.quanta included), and a reload drops unsaved edits without asking.
   */
  readonly developerTools?: boolean;
}

export function menuSpec(context: MenuContext): { readonly label: string; readonly items: readonly MenuItemSpec[] }[] {
  const recent: MenuItemSpec[] =
    context.recent.length === 0
      ? [{ label: 'No recent meshes', submenu: [] }]
      : context.recent.map((folder) => ({ label: folder, action: 'open-recent', argument: folder }));
  return [
    {
      label: 'File',
      items: [
        { label: 'New Mesh…', command: 'new-mesh', accelerator: 'CmdOrCtrl+N' },
        { label: 'Open Folder…', action: 'open-folder', accelerator: 'CmdOrCtrl+O' },
        {
          label: 'Open Sample',
          submenu: context.samples.map((s) => ({ label: s.title, command: 'open-sample' as const, argument: s.folder })),
        },
        { label: 'Open Recent', submenu: recent },
        { separator: true },
        { label: 'Save', command: 'save', accelerator: 'CmdOrCtrl+S' },
        { label: 'Save As…', command: 'save-as', accelerator: 'Shift+CmdOrCtrl+S' },
        { separator: true },
        { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      items: [
        { label: 'Undo', command: 'undo', accelerator: 'CmdOrCtrl+Z' },
        { label: 'Redo', command: 'redo', accelerator: 'Shift+CmdOrCtrl+Z' },
      ],
    },
    {
      label: 'View',
      items: [
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'resetZoom' },
        { separator: true },
        { label: 'Toggle Inspector', command: 'toggle-inspector', accelerator: 'CmdOrCtrl+I' },
        { label: 'Toggle Run Log', command: 'toggle-run-log', accelerator: 'CmdOrCtrl+L' },
        { separator: true },
        { role: 'togglefullscreen' },
        ...(context.developerTools === true
          ? [{ separator: true } as const, { role: 'reload' } as const, { role: 'toggleDevTools' } as const]
          : []),
      ],
    },
    {
      label: 'Help',
      items: [
        { label: 'Quanta Help', command: 'show-help', accelerator: 'F1' },
        { label: 'About Quanta', action: 'about' },
      ],
    },
  ];
}
