import type { Scenario, ScenarioAction, ScenarioPrinciple } from '../../../core/model/types.ts';

/*
 * The scenario panel's words, pure (unit-tested in Node): the principle a scenario teaches,
 * the time played, and a reference solution told as steps a trainer can read out.
 */

const PRINCIPLES: Readonly<Record<ScenarioPrinciple, string>> = {
  'domain-ownership': 'Domain ownership',
  'data-as-a-product': 'Data as a product',
  'self-serve-platform': 'Self-serve platform',
  'federated-governance': 'Federated governance',
  incident: 'Incident drill',
};

export function principleLabel(principle: ScenarioPrinciple | undefined): string {
  return principle === undefined ? 'Scenario' : PRINCIPLES[principle];
}

/** "12 min · beginner" — what a list of scenarios shows under a title. */
export function scenarioFacts(scenario: Pick<Scenario, 'minutes' | 'level' | 'steps'>): string {
  const parts = [
    ...(scenario.minutes === undefined ? [] : [`${scenario.minutes} min`]),
    ...(scenario.level === undefined ? [] : [scenario.level]),
    `${scenario.steps.length} step${scenario.steps.length === 1 ? '' : 's'}`,
  ];
  return parts.join(' · ');
}

/** Time played as m:ss (h:mm:ss past an hour). */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const seconds = String(total % 60).padStart(2, '0');
  const minutes = Math.floor(total / 60) % 60;
  const hours = Math.floor(total / 3600);
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** One event of a setup or a solution in plain words. */
export function actionText(action: ScenarioAction): string {
  switch (action.kind) {
    case 'run':
      return action.product === undefined ? 'Run all products' : `Run ${action.product}`;
    case 'tick':
      return `Advance the clock ${action.ticks} tick${action.ticks === 1 ? '' : 's'}`;
    case 'fault':
      return `Inject a fault: ${action.fault.kind} on ${action.fault.product}`;
    case 'clearFaults':
      return action.product === undefined ? 'Remove every fault' : `Remove the faults of ${action.product}`;
    case 'edit':
      return `${editVerb(action.edit.kind)} ${action.edit.file}`;
    case 'file':
      return `Write ${action.path}`;
    case 'change':
      return `Editor change: ${action.change.kind}`;
  }
}

function editVerb(kind: string): string {
  switch (kind) {
    case 'setText':
      return 'Rewrite';
    case 'deleteFile':
      return 'Delete';
    case 'deleteField':
      return 'Remove a field of';
    default:
      return 'Change a field of';
  }
}

/** The text a solution event writes, when it writes one (shown under its line). */
export function actionDetail(action: ScenarioAction): string | undefined {
  if (action.kind === 'file') return action.text;
  if (action.kind !== 'edit') return undefined;
  const edit = action.edit;
  switch (edit.kind) {
    case 'setText':
      return edit.text;
    case 'setField':
      return `${edit.path.join('.')}: ${JSON.stringify(edit.value)}`;
    case 'deleteField':
      return edit.path.join('.');
    case 'deleteFile':
      return undefined;
  }
}
