import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { DiagnosticCode } from '../diagnostics/codes.ts';
import { asFields, asList, asString, type Fields } from '../model/read.ts';
import type { DataProduct, Mesh } from '../model/types.ts';
import { parseYaml, locate, type YamlPath, type YamlSourceFile } from '../yaml/sourceFile.ts';

/*
 * What the scenario schema cannot say: the kinds of goals, faults and events it does not
 * know, and every name a scenario uses — products, ports, tables, policies, personas —
 * checked against the mesh. Read from the file itself (the model leaves out what it could
 * not read), so each problem points at its own line and column.
 *
 * A scenario may create what its goals name: a product (a `createProduct` change, a
 * `file:` under domains/), a policy (a `file:` under policies/), personas and built-in
 * policies (an edit of mesh.yaml). Those names count as known.
 */

const GOAL_KINDS = new Set(['status', 'violations', 'valid', 'nonBreaking', 'query', 'governanceScore', 'scorecard', 'fresh']);
const FAULT_KINDS = new Set(['dropColumn', 'renameColumn', 'nullSpike', 'delaySource', 'crash']);
const ACTION_KEYS = ['run', 'tick', 'fault', 'clearFaults', 'edit', 'change', 'file'] as const;
/** The fault kinds of the old format, and what they are called now. */
const OLD_FAULT_KINDS: Readonly<Record<string, string>> = {
  'drop-column': 'dropColumn',
  'rename-column': 'renameColumn',
  'spike-nulls': 'nullSpike',
  'delay-source': 'delaySource',
};

/** `(policyIds)`: the policies in force (core/governance resolves them; validate may not import it). */
export function checkScenarios(mesh: Mesh, policyIds: ReadonlySet<string>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const scenario of mesh.scenarios) {
    const file = mesh.files.get(scenario.file);
    if (!file || !('doc' in file)) continue;
    out.push(...checkScenarioFile(mesh, file, policyIds));
  }
  return out;
}

interface Known {
  readonly products: ReadonlyMap<string, DataProduct>;
  /** Products the scenario itself creates: their ports are not checked. */
  readonly created: ReadonlySet<string>;
  readonly policies: ReadonlySet<string>;
  readonly personas: ReadonlySet<string> | undefined;
  /** The scenario edits mesh.yaml, so any built-in may be brought in force. */
  readonly editsManifest: boolean;
}

function checkScenarioFile(mesh: Mesh, file: YamlSourceFile, policyIds: ReadonlySet<string>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const raw = asFields(file.value);
  const report = (code: DiagnosticCode, path: YamlPath, message: string, key = false): void => {
    out.push(diagnostic(code, locate(file, path, { key }), message));
  };
  const id = asString(raw['id']) ?? file.path;
  const actions = allActions(raw);
  const known = knownNames(mesh, actions, policyIds);
  const scenarioPersona = asString(raw['persona']);
  if (scenarioPersona !== undefined && known.personas && !known.personas.has(scenarioPersona)) {
    report('QUANTA_E025', ['persona'], `scenario ${id} runs as persona "${scenarioPersona}", which mesh.yaml does not declare`);
  }

  const checkAction = (event: Fields, path: YamlPath, where: string): void => {
    const keys = ACTION_KEYS.filter((k) => event[k] !== undefined);
    if (keys.length !== 1) {
      const what =
        keys.length === 0
          ? 'does nothing: it has none of run, tick, fault, clearFaults, edit, change, file'
          : `does ${keys.length} things at once (${keys.join(', ')})`;
      report('QUANTA_E084', path, `${where} of scenario ${id} ${what}`);
      return;
    }
    const key = keys[0];
    const target = asString(event[key ?? '']);
    if ((key === 'run' || key === 'clearFaults') && target !== undefined && target !== 'all') {
      product(target, [...path, key], `${where} of scenario ${id}`);
    }
    if (key === 'fault') checkFault(asFields(event['fault']), [...path, 'fault'], `${where} of scenario ${id}`);
    const written =
      key === 'file' ? asString(asFields(event['file'])['path']) : key === 'edit' ? asString(asFields(event['edit'])['file']) : undefined;
    if (written !== undefined && !insideMesh(written)) {
      const field = key === 'file' ? 'path' : 'file';
      report(
        'QUANTA_E031',
        [...path, key ?? '', field],
        `${where} of scenario ${id} writes "${written}", which is not a path inside the mesh folder`,
      );
    } else if (written !== undefined && !meshTextFile(written)) {
      report(
        'QUANTA_E087',
        [...path, key ?? '', key === 'file' ? 'path' : 'file'],
        `${where} of scenario ${id} writes "${written}": a scenario changes the mesh's YAML files and transform.sql, not seed data`,
      );
    }
  };

  const product = (productId: string, path: YamlPath, where: string): DataProduct | undefined => {
    const found = known.products.get(productId);
    if (!found && !known.created.has(productId))
      report('QUANTA_E040', path, `${where} names product "${productId}", which is not in this mesh`);
    return found;
  };

  const checkFault = (fault: Fields, path: YamlPath, where: string): void => {
    const kind = fault['kind'];
    if (typeof kind === 'string' && !FAULT_KINDS.has(kind)) {
      const renamed = OLD_FAULT_KINDS[kind];
      report(
        'QUANTA_E083',
        [...path, 'kind'],
        `${where} injects a fault of kind "${kind}", which Quanta does not know${renamed ? ` (it is called ${renamed} now)` : ''}`,
      );
      return;
    }
    const productId = asString(fault['product']);
    const found = productId === undefined ? undefined : product(productId, [...path, 'product'], where);
    const table = asString(fault['table']);
    if (found && table !== undefined) {
      const tables = [...(found.settings?.sources.map((s) => s.name) ?? []), ...found.inputPorts.map((p) => p.name)];
      if (!tables.includes(table)) {
        report(
          'QUANTA_E081',
          [...path, 'table'],
          `${where} hits table "${table}" of ${found.id}, which reads only: ${tables.join(', ') || '(nothing)'}`,
        );
      }
    }
  };

  asList(raw['setup']).forEach((event, i) => checkAction(asFields(event), ['setup', i], `setup event ${i + 1}`));
  asList(raw['steps']).forEach((value, s) => {
    const step = asFields(value);
    const stepName = `step ${s + 1}`;
    if (step['goals'] === undefined && step['action'] !== undefined) {
      report(
        'QUANTA_W086',
        ['steps', s, 'action'],
        `${stepName} of scenario ${id} is written in the old format (action: ${String(step['action'])}); it is skipped`,
      );
      return;
    }
    if (step['goals'] === undefined)
      report('QUANTA_E010', ['steps', s], `${stepName} of scenario ${id} has no goals: a step is done when its goals hold`, true);
    asList(step['events']).forEach((event, i) => checkAction(asFields(event), ['steps', s, 'events', i], `event ${i + 1} of ${stepName}`));
    asList(step['solution']).forEach((event, i) =>
      checkAction(asFields(event), ['steps', s, 'solution', i], `solution event ${i + 1} of ${stepName}`),
    );
    asList(step['goals']).forEach((value, g) => {
      const goal = asFields(value);
      const path: YamlPath = ['steps', s, 'goals', g];
      const where = `goal ${g + 1} of ${stepName} of scenario ${id}`;
      const kind = goal['kind'];
      if (typeof kind !== 'string') return; // the schema reports it
      if (!GOAL_KINDS.has(kind)) {
        report('QUANTA_E082', [...path, 'kind'], `${where} is of kind "${kind}", which Quanta does not know`);
        return;
      }
      const productId = asString(goal['product']);
      const found = productId === undefined ? undefined : product(productId, [...path, 'product'], where);
      const port = asString(goal['port']);
      if (found && port !== undefined && !found.outputPorts.some((p) => p.name === port)) {
        const ports = found.outputPorts.map((p) => p.name).join(', ') || '(none)';
        report('QUANTA_E081', [...path, 'port'], `${where} names output port "${port}" of ${found.id}, whose output ports are: ${ports}`);
      }
      const policy = asString(goal['policy']);
      if (policy !== undefined && !known.policies.has(policy) && !(known.editsManifest && policy.startsWith('quanta.'))) {
        report('QUANTA_E080', [...path, 'policy'], `${where} counts violations of policy "${policy}", which is not in force in this mesh`);
      }
      if (kind === 'query') {
        const persona = asString(goal['persona']);
        if (persona === undefined && scenarioPersona === undefined) {
          report('QUANTA_E085', path, `${where} runs a query but names no persona, and the scenario has none`);
        } else if (persona !== undefined && known.personas && !known.personas.has(persona)) {
          report('QUANTA_E025', [...path, 'persona'], `${where} runs as persona "${persona}", which mesh.yaml does not declare`);
        }
      }
    });
  });
  return out;
}

/** Mesh-relative, forward slashes, no `..`, `.` or empty segments, not absolute (as core/scenarios/scenarioActions.ts plays them). */
function insideMesh(path: string): boolean {
  const segments = path.split('/');
  return (
    !path.startsWith('/') && !path.includes('\\') && !/^[a-zA-Z]:/.test(path) && !segments.some((s) => s === '..' || s === '.' || s === '')
  );
}

/** A file the mesh holds as text, which a scenario's edits reach: YAML and transform.sql (seed data stays on disk). */
function meshTextFile(path: string): boolean {
  return /\.ya?ml$/.test(path) || path.endsWith('/transform.sql');
}

/** Every action of the scenario, wherever it is written (setup, step events, solutions). */
function allActions(raw: Fields): Fields[] {
  const steps = asList(raw['steps']).map(asFields);
  return [...asList(raw['setup']), ...steps.flatMap((s) => [...asList(s['events']), ...asList(s['solution'])])].map(asFields);
}

function knownNames(mesh: Mesh, actions: readonly Fields[], policyIds: ReadonlySet<string>): Known {
  const created = new Set<string>();
  const policies = new Set([...policyIds, ...mesh.policies.map((p) => p.id)]);
  let editsManifest = false;
  for (const action of actions) {
    const change = asFields(action['change']);
    if (change['kind'] === 'createProduct' && typeof change['id'] === 'string') created.add(change['id']);
    const edit = asFields(action['edit']);
    const written = asFields(action['file']);
    const path = asString(written['path']) ?? asString(edit['file']);
    if (path === 'mesh.yaml') editsManifest = true;
    const productDir = path === undefined ? undefined : /^domains\/[^/]+\/([^/]+)\/product\.odps\.yaml$/.exec(path)?.[1];
    if (productDir !== undefined) created.add(productDir);
    const text = asString(written['text']) ?? asString(edit['text']);
    if (path !== undefined && text !== undefined && /^policies\/[^/]+\.policy\.yaml$/.test(path)) {
      const id = asString(asFields(parseYaml(path, text).value)['id']);
      if (id !== undefined) policies.add(id);
    }
  }
  return {
    products: new Map(mesh.products.map((p) => [p.id, p])),
    created,
    policies,
    personas: mesh.manifest && !editsManifest ? new Set(mesh.manifest.personas.map((p) => p.id)) : undefined,
    editsManifest,
  };
}
