import type { Scenario } from '../../../core/model/types.ts';
import { principleLabel, scenarioFacts } from '../scenarios/scenarioView.ts';
import { useAppStore } from '../store/AppStoreProvider.tsx';
import type { AppState } from '../store/state.ts';

/** The scenarios of the bundled samples that have loaded, in sample order. */
function scenariosOf(samples: AppState['samples'], folders: readonly string[]): { folder: string; scenario: Scenario }[] {
  return folders.flatMap((folder) => {
    const sample = samples[folder];
    return sample?.status === 'loaded' ? sample.loaded.mesh.scenarios.map((scenario) => ({ folder, scenario })) : [];
  });
}

const selectSamples = (s: AppState) => s.samples;

/**
 * The start screen's workshop section: every scenario of the bundled samples, one click from
 * its briefing (the sample opens with the scenario panel showing it; Start is the second click).
 */
export function ScenarioCatalog({
  folders,
  onOpen,
}: {
  readonly folders: readonly string[];
  readonly onOpen: (folder: string, scenario: string) => void;
}) {
  const samples = useAppStore(selectSamples);
  const scenarios = scenariosOf(samples, folders);
  if (scenarios.length === 0) return null;
  return (
    <section aria-labelledby="scenarios-heading">
      <h2 id="scenarios-heading">Workshop scenarios</h2>
      <p className="section-intro">
        Guided exercises on a running mesh: break it on purpose, repair it, and watch the goals turn green. Each one checks itself.
      </p>
      <ul className="scenario-grid">
        {scenarios.map(({ folder, scenario }) => (
          <li key={`${folder}/${scenario.id}`}>
            <button
              type="button"
              className="scenario-card"
              data-testid="scenario-card"
              data-sample={folder}
              data-scenario={scenario.id}
              onClick={() => onOpen(folder, scenario.id)}
            >
              <span className={`principle-badge principle-${scenario.principle ?? 'none'}`}>{principleLabel(scenario.principle)}</span>
              <span className="scenario-card-title">{scenario.title}</span>
              {scenario.description && <span className="scenario-card-description">{scenario.description}</span>}
              <span className="scenario-facts">
                {folder} · {scenarioFacts(scenario)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
