import { describe, expect, it } from 'vitest';
import type { ScenarioStep } from '../../core/model/types.ts';
import { actionDetail, actionText, formatElapsed, principleLabel, scenarioFacts } from '../../renderer/src/scenarios/scenarioView.ts';

const step = (title: string): ScenarioStep => ({ title, events: [], goals: [{ kind: 'valid' }], hints: [], solution: [] });

describe("the scenario panel's words", () => {
  it('names each principle, and a scenario without one', () => {
    expect(principleLabel('federated-governance')).toBe('Federated governance');
    expect(principleLabel('incident')).toBe('Incident drill');
    expect(principleLabel(undefined)).toBe('Scenario');
  });

  it('tells minutes, level and steps, leaving out what is not given', () => {
    expect(scenarioFacts({ minutes: 15, level: 'beginner', steps: [step('one'), step('two')] })).toBe('15 min · beginner · 2 steps');
    expect(scenarioFacts({ steps: [step('one')] })).toBe('1 step');
  });

  it('formats time played as m:ss, and h:mm:ss past an hour', () => {
    expect(formatElapsed(0)).toBe('0:00');
    expect(formatElapsed(65_400)).toBe('1:05');
    expect(formatElapsed(3_725_000)).toBe('1:02:05');
    expect(formatElapsed(-5)).toBe('0:00');
  });

  it('reads a solution out as steps, with the text an edit writes', () => {
    expect(actionText({ kind: 'run' })).toBe('Run all products');
    expect(actionText({ kind: 'tick', ticks: 1 })).toBe('Advance the clock 1 tick');
    expect(actionText({ kind: 'clearFaults', product: 'orders' })).toBe('Remove the faults of orders');
    const edit = { kind: 'edit', edit: { kind: 'setText', file: 'domains/a/b/transform.sql', text: 'SELECT 1' } } as const;
    expect(actionText(edit)).toBe('Rewrite domains/a/b/transform.sql');
    expect(actionDetail(edit)).toBe('SELECT 1');
    const field = { kind: 'edit', edit: { kind: 'setField', file: 'x.yaml', path: ['schema', 0, 'name'], value: 'orders' } } as const;
    expect(actionDetail(field)).toBe('schema.0.name: "orders"');
    expect(actionDetail({ kind: 'run', product: 'orders' })).toBeUndefined();
  });
});
