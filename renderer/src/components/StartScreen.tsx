import type { ReactNode } from 'react';
import { SampleCard } from './SampleCard.tsx';
import { ScenarioCatalog } from './ScenarioCatalog.tsx';

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
  return (
    <>
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
