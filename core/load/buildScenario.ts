import { asFields, asList, asNumber, asString, defined, type Fields } from '../model/read.ts';
import type {
  Scenario,
  ScenarioAction,
  ScenarioChange,
  ScenarioEdit,
  ScenarioEvent,
  ScenarioFault,
  ScenarioGoal,
  ScenarioLevel,
  ScenarioPrinciple,
  ScenarioRole,
  ScenarioStep,
} from '../model/types.ts';
import { MAX_EVENT_TICKS } from '../schemas/scenarioSchema.ts';
import type { YamlSourceFile } from '../yaml/sourceFile.ts';

/*
 * A scenario file → the model (docs/scenarios.md). Lenient: an entry it cannot read (a goal
 * of an unknown kind, an event with no action or two, a step in the old `action:` format)
 * is left out here; core/validate/scenarioChecks.ts reports each one with its place, from
 * the file itself.
 */

const PRINCIPLES: readonly ScenarioPrinciple[] = [
  'domain-ownership',
  'data-as-a-product',
  'self-serve-platform',
  'federated-governance',
  'incident',
];
const LEVELS: readonly ScenarioLevel[] = ['beginner', 'intermediate', 'advanced'];
const STATUSES = ['published', 'refused', 'failed', 'stale'] as const;
const EXPECTS = ['rows', 'denied', 'masked'] as const;
const ACTION_KEYS = ['run', 'tick', 'fault', 'clearFaults', 'edit', 'change', 'file'] as const;

export function buildScenario(file: YamlSourceFile): Scenario | undefined {
  const raw = asFields(file.value);
  const id = asString(raw['id']);
  if (id === undefined) return undefined;
  const steps = asList(raw['steps']).flatMap((s) => {
    const step = readStep(asFields(s));
    return step ? [step] : [];
  });
  return defined({
    file: file.path,
    id,
    title: asString(raw['title']) ?? id,
    description: asString(raw['description']),
    principle: oneOf(PRINCIPLES, raw['principle']),
    level: oneOf(LEVELS, raw['level']),
    minutes: asWhole(raw['minutes']),
    briefing: asString(raw['briefing']),
    persona: asString(raw['persona']),
    roles: asList(raw['roles']).flatMap((r) => {
      const role = readRole(asFields(r));
      return role ? [role] : [];
    }),
    setup: actionsOf(raw['setup']),
    steps,
  });
}

function readRole(raw: Fields): ScenarioRole | undefined {
  const id = asString(raw['id']);
  if (id === undefined) return undefined;
  return defined({ id, title: asString(raw['title']) ?? id, domain: asString(raw['domain']), brief: asString(raw['brief']) });
}

function readStep(raw: Fields): ScenarioStep | undefined {
  // A step of the old format (`action: run | expect | …`) has no goals: QUANTA_W086 says how to convert it.
  if (raw['goals'] === undefined && raw['action'] !== undefined) return undefined;
  return defined({
    title: asString(raw['title']) ?? 'Untitled step',
    instructions: asString(raw['instructions']),
    events: asList(raw['events']).flatMap((e) => {
      const event = readEvent(asFields(e));
      return event ? [event] : [];
    }),
    goals: asList(raw['goals']).flatMap((g) => {
      const goal = readGoal(asFields(g));
      return goal ? [goal] : [];
    }),
    hints: asList(raw['hints']).flatMap((h) => (typeof h === 'string' ? [h] : [])),
    solution: actionsOf(raw['solution']),
  });
}

function actionsOf(value: unknown): ScenarioAction[] {
  return asList(value).flatMap((e) => {
    const action = readAction(asFields(e));
    return action ? [action] : [];
  });
}

function readEvent(raw: Fields): ScenarioEvent | undefined {
  const action = readAction(raw);
  if (!action) return undefined;
  const afterTicks = asWhole(raw['afterTicks']);
  if (afterTicks !== undefined && afterTicks > MAX_EVENT_TICKS) return undefined;
  return defined({ action, title: asString(raw['title']), afterTicks });
}

/** The one action of an event; undefined when it has none, two, or one the model cannot read. */
export function readAction(raw: Fields): ScenarioAction | undefined {
  const keys = ACTION_KEYS.filter((k) => raw[k] !== undefined);
  if (keys.length !== 1) return undefined;
  const value = raw[keys[0] ?? 'run'];
  switch (keys[0]) {
    case 'run':
    case 'clearFaults': {
      const target = asString(value);
      if (target === undefined) return undefined;
      const kind = keys[0];
      return target === 'all' ? { kind } : { kind, product: target };
    }
    case 'tick': {
      const ticks = asWhole(value);
      // Out of range is the schema's error (QUANTA_E013); the model leaves such an event out, so nothing plays it.
      return ticks === undefined || ticks < 1 || ticks > MAX_EVENT_TICKS ? undefined : { kind: 'tick', ticks };
    }
    case 'fault': {
      const fault = readFault(asFields(value));
      return fault ? { kind: 'fault', fault } : undefined;
    }
    case 'edit': {
      const edit = readEdit(asFields(value));
      return edit ? { kind: 'edit', edit } : undefined;
    }
    case 'change': {
      const change = asFields(value);
      const kind = asString(change['kind']);
      return kind === undefined ? undefined : { kind: 'change', change: { ...change, kind } satisfies ScenarioChange };
    }
    case 'file': {
      const file = asFields(value);
      const path = asString(file['path']);
      const text = asString(file['text']);
      return path === undefined || text === undefined ? undefined : { kind: 'file', path, text };
    }
    default:
      return undefined;
  }
}

export function readFault(raw: Fields): ScenarioFault | undefined {
  const product = asString(raw['product']);
  const table = asString(raw['table']);
  const column = asString(raw['column']);
  if (product === undefined) return undefined;
  switch (raw['kind']) {
    case 'dropColumn':
      return table === undefined || column === undefined ? undefined : { kind: 'dropColumn', product, table, column };
    case 'renameColumn': {
      const to = asString(raw['to']);
      return table === undefined || column === undefined || to === undefined
        ? undefined
        : { kind: 'renameColumn', product, table, column, to };
    }
    case 'nullSpike': {
      const share = asNumber(raw['share']);
      return table === undefined || column === undefined || share === undefined
        ? undefined
        : { kind: 'nullSpike', product, table, column, share };
    }
    case 'delaySource': {
      const ticks = asWhole(raw['ticks']);
      return ticks === undefined ? undefined : { kind: 'delaySource', product, ticks };
    }
    case 'crash':
      return { kind: 'crash', product };
    default:
      return undefined;
  }
}

function readEdit(raw: Fields): ScenarioEdit | undefined {
  const file = asString(raw['file']);
  if (file === undefined) return undefined;
  const path = asList(raw['path']).filter((p): p is string | number => typeof p === 'string' || typeof p === 'number');
  switch (raw['kind']) {
    case 'setField':
      return path.length === 0 || !('value' in raw) ? undefined : { kind: 'setField', file, path, value: raw['value'] };
    case 'deleteField':
      return path.length === 0 ? undefined : { kind: 'deleteField', file, path };
    case 'setText': {
      const text = asString(raw['text']);
      return text === undefined ? undefined : { kind: 'setText', file, text };
    }
    case 'deleteFile':
      return { kind: 'deleteFile', file };
    default:
      return undefined;
  }
}

export function readGoal(raw: Fields): ScenarioGoal | undefined {
  const title = asString(raw['title']);
  const goal = readGoalBody(raw);
  return goal && title !== undefined ? { ...goal, title } : goal;
}

function readGoalBody(raw: Fields): ScenarioGoal | undefined {
  const product = asString(raw['product']);
  const port = asString(raw['port']);
  const atLeast = asNumber(raw['atLeast']);
  switch (raw['kind']) {
    case 'status': {
      const is = oneOf(STATUSES, raw['is']);
      return product === undefined || is === undefined ? undefined : { kind: 'status', product, is };
    }
    case 'violations': {
      const policy = asString(raw['policy']);
      if (policy === undefined) return undefined;
      return defined({ kind: 'violations' as const, policy, product, atMost: asWhole(raw['atMost']), equals: asWhole(raw['equals']) });
    }
    case 'valid':
      return { kind: 'valid' };
    case 'nonBreaking':
      return product === undefined || port === undefined ? undefined : { kind: 'nonBreaking', product, port };
    case 'query': {
      const sql = asString(raw['sql']);
      const expect = oneOf(EXPECTS, raw['expect']);
      if (sql === undefined || expect === undefined) return undefined;
      return defined({
        kind: 'query' as const,
        sql,
        expect,
        persona: asString(raw['persona']),
        column: asString(raw['column']),
        minRows: asWhole(raw['minRows']),
      });
    }
    case 'governanceScore':
      return atLeast === undefined ? undefined : { kind: 'governanceScore', atLeast };
    case 'scorecard':
      return product === undefined || atLeast === undefined ? undefined : { kind: 'scorecard', product, atLeast };
    case 'fresh':
      return product === undefined ? undefined : defined({ kind: 'fresh' as const, product, port });
    default:
      return undefined;
  }
}

function oneOf<T extends string>(allowed: readonly T[], value: unknown): T | undefined {
  return allowed.find((a) => a === value);
}

function asWhole(value: unknown): number | undefined {
  const n = asNumber(value);
  return n !== undefined && Number.isInteger(n) && n >= 0 ? n : undefined;
}
