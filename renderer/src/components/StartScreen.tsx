import { useMemo, type ReactNode } from 'react';
import type { Command } from '../commands/registry.ts';
import { useCommands } from '../commands/useCommands.ts';
import { SampleCard } from './SampleCard.tsx';
import { ScenarioCatalog } from './ScenarioCatalog.tsx';
import { HelpButtons, ThemeToggle } from './ThemeToggle.tsx';

/** A start-screen button of OpenPanel (its file pickers need the click), pressed by its words. */
function press(words: string): void {
  [...document.querySelectorAll<HTMLButtonElement>('.open-actions button')].find((b) => b.textContent?.startsWith(words))?.click();
}

/** The start screen's actions as commands (the palette lists them): new, open, import, and each sample. */
function startCommands(folders: readonly string[], onOpen: (folder: string) => void): Command[] {
  return [
    {
      id: 'new-mesh',
      title: 'New mesh…',
      group: 'File',
      keywords: 'create empty',
      run: () => document.querySelector<HTMLInputElement>('.new-mesh-form input')?.focus(),
    },
    { id: 'open-folder', title: 'Open a mesh folder…', group: 'File', keywords: 'directory disk', run: () => press('Open folder') },
    { id: 'import-zip', title: 'Import a mesh .zip…', group: 'File', keywords: 'archive upload', run: () => press('Import .zip') },
    ...folders.map((folder): Command => ({
      id: `open-sample:${folder}`,
      title: `Open the sample ${folder}`,
      group: 'Go to',
      keywords: 'sample mesh example',
      paletteOnly: true,
      run: () => onOpen(folder),
    })),
  ];
}

/** The first screen: the user's own meshes (`children`: new, open, import, kept ones), the samples, then their workshop scenarios. */
export function StartScreen({
  folders,
  onOpen,
  onOpenScenario,
  children,
}: {
  readonly folders: readonly string[];
  readonly onOpen: (folder: string) => void;
  readonly onOpenScenario: (folder: string, scenario: string) => void;
  readonly children?: ReactNode;
}) {
  useCommands(
    'start',
    useMemo(() => startCommands(folders, onOpen), [folders, onOpen]),
  );
  return (
    <>
      <div className="start-corner" role="group" aria-label="Appearance and help">
        <ThemeToggle />
        <HelpButtons />
      </div>
      <header className="hero">
        <h1>Quanta</h1>
        <p className="tagline">Model and run a whole data mesh on your laptop, offline.</p>
      </header>
      {children}
      <section aria-labelledby="samples-heading">
        <h2 id="samples-heading">Sample meshes</h2>
        <p className="section-intro">Each sample is loaded and validated right here with the same loader the command line uses.</p>
        {folders.length === 0 ? (
          <p className="empty">No sample meshes were bundled with this build.</p>
        ) : (
          <ul className="sample-grid">
            {folders.map((folder) => (
              <li key={folder}>
                <SampleCard folder={folder} onOpen={onOpen} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <ScenarioCatalog folders={folders} onOpen={onOpenScenario} />
    </>
  );
}
