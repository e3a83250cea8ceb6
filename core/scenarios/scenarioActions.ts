import { applyChange, type MeshChange } from '../edits/meshChanges.ts';
import { applyEdit, type MeshEdit } from '../edits/meshEdits.ts';
import type { MeshFiles, ScenarioAction, ScenarioChange, ScenarioEdit, ScenarioFault } from '../model/types.ts';
import type { Fault } from '../run/faults.ts';
import { SCENARIO_CHANGE_KINDS } from '../schemas/scenarioSchema.ts';
import type { ScenarioHost } from './scenarioHost.ts';

/*
 * Plays one scenario event on a host: file events (edit, change, file) become a new file map
 * handed to the host, runtime events (run, tick, fault, clearFaults) go to its runtime.
 */

/** A scenario event that cannot be played (a change the mesh refuses, a fault naming a table that is gone). */
export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

export async function playAction(host: ScenarioHost, action: ScenarioAction, where: string): Promise<void> {
  try {
    switch (action.kind) {
      case 'run':
        if (action.product === undefined) await host.runtime().runAll();
        else await host.runtime().runProduct(action.product);
        return;
      case 'tick':
        await host.runtime().advance(action.ticks);
        return;
      case 'fault':
        host.runtime().injectFault(asFault(action.fault));
        return;
      case 'clearFaults':
        host.runtime().clearFaults(action.product);
        return;
      case 'edit':
      case 'change':
      case 'file':
        await host.setFiles(editedFiles(host.files(), action));
        return;
    }
  } catch (error) {
    throw new ScenarioError(`${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The files after a file event; the old map is untouched. */
export function editedFiles(files: MeshFiles, action: Extract<ScenarioAction, { kind: 'edit' | 'change' | 'file' }>): MeshFiles {
  switch (action.kind) {
    case 'edit':
      insideMesh(action.edit.file);
      return applyEdit(files, asMeshEdit(action.edit));
    case 'file':
      insideMesh(action.path);
      return applyEdit(files, { kind: 'setText', file: action.path, text: action.text });
    case 'change':
      return applyChange(files, asMeshChange(action.change));
  }
}

/** A mesh is untrusted: a path a scenario writes must stay inside the mesh folder, whoever saves it later. */
export function insideMesh(path: string): void {
  const segments = path.split('/');
  if (path.startsWith('/') || path.includes('\\') || /^[a-zA-Z]:/.test(path) || segments.some((s) => s === '..' || s === '.' || s === '')) {
    throw new ScenarioError(`"${path}" is not a path inside the mesh folder (write it like domains/sales/orders/transform.sql)`);
  }
}

// The model's fault and edit shapes are copies (core/model may not import the runtime or the
// editor); these functions compile only while the copies fit the originals.
function asFault(fault: ScenarioFault): Fault {
  return fault;
}

function asMeshEdit(edit: ScenarioEdit): MeshEdit {
  return edit;
}

// Compiles only while every kind the schema accepts is one meshChanges.ts knows.
const CHANGE_KINDS = new Set<string>(SCENARIO_CHANGE_KINDS satisfies readonly MeshChange['kind'][]);

function asMeshChange(change: ScenarioChange): MeshChange {
  if (!CHANGE_KINDS.has(change.kind)) throw new ScenarioError(`"${change.kind}" is not a change the editor makes`);
  // The scenario schema requires each kind's fields (core/schemas/scenarioSchema.ts), and
  // applyChange refuses, as EditError, what the mesh does not allow: the written object is the change.
  return change as unknown as MeshChange;
}
