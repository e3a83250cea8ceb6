import { app, dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { menuSpec, type MenuContext, type MenuItemSpec, type RendererCommand } from './menuSpec.ts';

export interface MenuHandlers {
  readonly window: () => BrowserWindow | undefined;
  /** Sends a command (Save, Undo, …) to the renderer, which owns the open mesh. */
  readonly command: (command: RendererCommand, argument?: string) => void;
  readonly openFolder: () => void;
  readonly openRecent: (folder: string) => void;
}

/** The menus of menuSpec.ts as an Electron menu; macOS also gets its usual application menu first. */
export function buildAppMenu(context: MenuContext, handlers: MenuHandlers): Menu {
  const about = (): void => {
    const window = handlers.window();
    const options = {
      type: 'info' as const,
      title: 'About Quanta',
      message: `Quanta ${app.getVersion()}`,
      detail: `Model and run a whole data mesh on one laptop, offline.\n\nElectron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}`,
      buttons: ['OK'],
    };
    void (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options));
  };
  const toItem = (spec: MenuItemSpec): MenuItemConstructorOptions => {
    if ('separator' in spec) return { type: 'separator' };
    if ('role' in spec) return { role: spec.role };
    if ('submenu' in spec) return { label: spec.label, submenu: spec.submenu.map(toItem), enabled: spec.submenu.length > 0 };
    const accelerator = spec.accelerator === undefined ? {} : { accelerator: spec.accelerator };
    if ('command' in spec) return { label: spec.label, ...accelerator, click: () => handlers.command(spec.command, spec.argument) };
    const click =
      spec.action === 'about'
        ? about
        : spec.action === 'open-folder'
          ? handlers.openFolder
          : () => handlers.openRecent(spec.argument ?? '');
    return { label: spec.label, ...accelerator, click };
  };
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    ...menuSpec(context).map((menu) => ({
      label: menu.label,
      ...(menu.label === 'Help' ? { role: 'help' as const } : {}),
      submenu: menu.items.map(toItem),
    })),
  ];
  return Menu.buildFromTemplate(template);
}
