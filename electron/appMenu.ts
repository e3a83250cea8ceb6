import { app, dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';

/** File, View and Help menus; macOS also gets its usual application menu first. */
export function buildAppMenu(getWindow: () => BrowserWindow | undefined): Menu {
  const about = (): void => {
    const window = getWindow();
    const options = {
      type: 'info' as const,
      title: 'About Quanta',
      message: `Quanta ${app.getVersion()}`,
      detail: `Model and run a whole data mesh on one laptop, offline.\n\nElectron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}`,
      buttons: ['OK'],
    };
    void (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options));
  };

  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { label: 'File', submenu: [{ role: 'quit' }] },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'forceReload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'help', submenu: [{ label: 'About Quanta', click: about }] },
  ];
  return Menu.buildFromTemplate(template);
}
