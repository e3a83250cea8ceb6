import { useEffect, useState } from 'react';
import type { Mesh, Scenario } from '../../../core/model/types.ts';
import type { GoalResult } from '../../../core/scenarios/goals.ts';
import { useAppStore, useAppStoreApi } from '../store/AppStoreProvider.tsx';
import { selectScenario, selectScenarioPanel } from '../store/selectors.ts';
import type { ScenarioPlay } from '../store/state.ts';
import { Markdown } from './Markdown.tsx';
import { actionDetail, actionText, formatElapsed, principleLabel, scenarioFacts } from './scenarioView.ts';

/**
 * The workshop side panel: the mesh's scenarios, one scenario's briefing with Start, then
 * while it plays the current step, its goals turning ✓/✗ as the room edits and runs, hints one
 * at a time, the time played, Reset, and — for the trainer — the reference solution.
 */
export function ScenarioPanel({ mesh, onClose }: { readonly mesh: Mesh; readonly onClose: () => void }) {
  const store = useAppStoreApi();
  const panel = useAppStore(selectScenarioPanel);
  const play = useAppStore(selectScenario);
  const chosen = panel.open ? panel.chosen : undefined;
  const playing = play && mesh.scenarios.find((s) => s.id === play.id);
  const briefed = chosen === undefined ? undefined : mesh.scenarios.find((s) => s.id === chosen);

  return (
    <section className="scenario-panel" aria-label="Workshop scenario" data-testid="scenario-panel">
      <header className="scenario-panel-header">
        <h2>Workshop</h2>
        <button type="button" className="link-button" onClick={onClose} aria-label="Close the scenario panel">
          Close
        </button>
      </header>
      {play && playing ? (
        <Playing scenario={playing} play={play} />
      ) : play ? (
        <p className="scenario-error" role="alert">
          {play.error ?? 'Starting the scenario…'}
        </p>
      ) : briefed ? (
        <Briefing
          scenario={briefed}
          onStart={() => void store.getState().startScenario(briefed.id)}
          onBack={() => store.getState().openScenarioPanel()}
        />
      ) : chosen !== undefined ? (
        <p className="scenario-error" role="alert">
          This mesh has no scenario “{chosen}”.{' '}
          <button type="button" className="link-button" onClick={() => store.getState().openScenarioPanel()}>
            See its scenarios
          </button>
        </p>
      ) : (
        <ScenarioChooser scenarios={mesh.scenarios} onChoose={(id) => store.getState().openScenarioPanel(id)} />
      )}
    </section>
  );
}

function ScenarioChooser({ scenarios, onChoose }: { readonly scenarios: readonly Scenario[]; readonly onChoose: (id: string) => void }) {
  if (scenarios.length === 0) {
    return (
      <p className="empty">
        This mesh has no scenarios. A scenario is a file <code>scenarios/&lt;id&gt;.scenario.yaml</code>; docs/scenarios.md shows how to
        write one.
      </p>
    );
  }
  return (
    <ul className="scenario-list" aria-label="Scenarios of this mesh">
      {scenarios.map((s) => (
        <li key={s.id}>
          <button type="button" className="scenario-choice" data-scenario={s.id} onClick={() => onChoose(s.id)}>
            <span className={`principle-badge principle-${s.principle ?? 'none'}`}>{principleLabel(s.principle)}</span>
            <span className="scenario-choice-title">{s.title}</span>
            <span className="scenario-facts">{scenarioFacts(s)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function Briefing({
  scenario,
  onStart,
  onBack,
}: {
  readonly scenario: Scenario;
  readonly onStart: () => void;
  readonly onBack: () => void;
}) {
  return (
    <div className="scenario-briefing">
      <span className={`principle-badge principle-${scenario.principle ?? 'none'}`}>{principleLabel(scenario.principle)}</span>
      <h3>{scenario.title}</h3>
      <p className="scenario-facts">{scenarioFacts(scenario)}</p>
      {scenario.briefing ? <Markdown text={scenario.briefing} /> : scenario.description && <p>{scenario.description}</p>}
      {scenario.roles.length > 0 && (
        <>
          <h4>Roles</h4>
          <ul className="scenario-roles">
            {scenario.roles.map((role) => (
              <li key={role.id}>
                <strong>{role.title}</strong>
                {role.domain && <span className="scenario-facts"> · {role.domain}</span>}
                {role.brief && <Markdown text={role.brief} />}
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="scenario-actions">
        <button type="button" className="primary" onClick={onStart}>
          Start scenario
        </button>
        <button type="button" className="link-button" onClick={onBack}>
          Other scenarios
        </button>
      </div>
      <p className="form-help">Starting keeps a copy of the mesh as it is now: Reset scenario puts every file back.</p>
    </div>
  );
}

function Playing({ scenario, play }: { readonly scenario: Scenario; readonly play: ScenarioPlay }) {
  const store = useAppStoreApi();
  const state = play.state;
  const now = useNow(state?.finishedAt === undefined);
  const [confirmReset, setConfirmReset] = useState(false);
  if (!state) return <p role="status">Setting the scenario up…</p>;
  const finished = state.finishedAt !== undefined;
  const step = scenario.steps[state.step];
  const hints = step?.hints ?? [];
  return (
    <div className="scenario-playing" data-finished={finished}>
      <div className="scenario-status">
        <h3>{scenario.title}</h3>
        <span className="scenario-clock" aria-label="Time played" data-testid="scenario-clock">
          {formatElapsed((state.finishedAt ?? now) - state.startedAt)}
        </span>
      </div>
      <p className="scenario-facts">
        {finished
          ? scenario.steps.length === 1
            ? 'Its step is done'
            : `All ${scenario.steps.length} steps done`
          : `Step ${state.step + 1} of ${scenario.steps.length}`}
        {play.evaluating && <span className="scenario-judging"> · checking goals…</span>}
      </p>
      {play.error && (
        <p className="scenario-error" role="alert">
          {play.error}
        </p>
      )}
      {finished ? (
        <p className="scenario-done" role="status">
          ✓ Scenario complete in {formatElapsed(state.finishedAt - state.startedAt)}. Reset it for the next group.
        </p>
      ) : (
        step && (
          <>
            <h4 className="scenario-step-title">{step.title}</h4>
            {/* Goals first: they are what the room watches turn green; the instructions follow. */}
            <GoalList goals={state.goals} />
            {step.instructions && <Markdown text={step.instructions} className="scenario-instructions" />}
            {hints.length > 0 && (
              <div className="scenario-hints">
                {hints.slice(0, state.hintsShown).map((hint, i) => (
                  <div key={i} className="scenario-hint" data-testid="scenario-hint">
                    <span className="scenario-hint-label">Hint {i + 1}</span>
                    <Markdown text={hint} />
                  </div>
                ))}
                {state.hintsShown < hints.length && (
                  <button type="button" onClick={() => store.getState().revealHint()}>
                    {state.hintsShown === 0 ? 'Show a hint' : 'Show another hint'} ({hints.length - state.hintsShown} left)
                  </button>
                )}
              </div>
            )}
            <details
              className="scenario-solution"
              open={play.solutionShown}
              onToggle={(e) => store.getState().showSolution(e.currentTarget.open)}
            >
              <summary>Show solution (trainer)</summary>
              {step.solution.length === 0 ? (
                <p className="empty">This step has no reference solution.</p>
              ) : (
                <ol>
                  {step.solution.map((action, i) => {
                    const detail = actionDetail(action);
                    return (
                      <li key={i}>
                        {actionText(action)}
                        {detail && <pre className="scenario-solution-text">{detail}</pre>}
                      </li>
                    );
                  })}
                </ol>
              )}
            </details>
          </>
        )
      )}
      <div className="scenario-actions">
        {confirmReset ? (
          <>
            <span>Put every file back and forget the runs?</span>
            <button type="button" className="danger" onClick={() => void store.getState().resetScenario()}>
              Reset
            </button>
            <button type="button" onClick={() => setConfirmReset(false)}>
              Keep playing
            </button>
          </>
        ) : (
          <>
            <button type="button" onClick={() => setConfirmReset(true)}>
              Reset scenario
            </button>
            <button type="button" className="link-button" onClick={() => store.getState().endScenario()}>
              End, keeping the mesh as it is
            </button>
          </>
        )}
      </div>
    </div>
  );
}

function GoalList({ goals }: { readonly goals: readonly GoalResult[] }) {
  if (goals.length === 0) return <p className="scenario-facts">Goals are checked after the next edit or run.</p>;
  return (
    <ul className="scenario-goals" aria-label="Goals of this step">
      {goals.map((goal, i) => (
        <li key={i} className={`scenario-goal ${goal.holds ? 'holds' : 'open'}`} data-testid="scenario-goal" data-holds={goal.holds}>
          <span className="scenario-goal-mark" aria-hidden="true">
            {goal.holds ? '✓' : '✗'}
          </span>
          <span>
            <span className="scenario-goal-title">{goal.title}</span>
            <span className="visually-hidden">{goal.holds ? ' (done)' : ' (not yet)'}</span>
            <span className="scenario-goal-why">{goal.why}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}

/** The wall clock, once a second while `ticking`. */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}
