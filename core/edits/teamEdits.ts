import { ID_PATTERN } from '../blueprints/blueprints.ts';
import { MESH_FILE } from '../load/readMeshFiles.ts';
import { EditError } from '../model/editError.ts';
import { asFields, asList, asString } from '../model/read.ts';
import type { Mesh, MeshFiles, TextSourceFile } from '../model/types.ts';
import type { YamlSourceFile } from '../yaml/sourceFile.ts';
import { applyEdit, deepEqual, type MeshEdit } from './meshEdits.ts';

/*
 * Teams and personas live in mesh.yaml (`teams:` and `personas:` lists). Each edit touches
 * the one entry it is about, through the yaml Document API, so comments, key order and
 * fields Quanta does not edit (a team's `members`) stay as they were.
 */

type FileMap = Map<string, YamlSourceFile | TextSourceFile>;

export interface TeamFields {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
}

export interface PersonaFields {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  /** A team of mesh.yaml the persona works in. */
  readonly team?: string;
  /** What the persona may use classified data for (`ml-training`): decides masking. */
  readonly purposes?: readonly string[];
}

/** Who names a team: a domain or product it owns, a persona in it. Removing the team would leave them dangling. */
export function teamUsers(mesh: Mesh, teamId: string): string[] {
  return [
    ...mesh.domains.filter((d) => d.team === teamId).map((d) => `domain ${d.id}`),
    ...mesh.products.filter((p) => p.team === teamId).map((p) => `product ${p.id}`),
    ...(mesh.manifest?.personas ?? []).filter((p) => p.team === teamId).map((p) => `persona ${p.id}`),
  ];
}

/** Who names a persona: the scenarios that play as it. */
export function personaUsers(mesh: Mesh, personaId: string): string[] {
  return mesh.scenarios.filter((s) => s.persona === personaId).map((s) => `scenario ${s.id}`);
}

export function addTeam(files: MeshFiles, mesh: Mesh, team: TeamFields): FileMap {
  checkEntryId('team', team.id);
  if (entries(files, 'teams').some((t) => t.id === team.id)) throw new EditError(`mesh.yaml already declares a team "${team.id}"`);
  const value = {
    id: team.id,
    name: nameOf(team.name, 'team'),
    ...(team.description?.trim() ? { description: team.description.trim() } : {}),
  };
  return applyEdit(manifestFiles(files, mesh), {
    kind: 'setField',
    file: MESH_FILE,
    path: ['teams', entries(files, 'teams').length],
    value,
  });
}

export function updateTeam(files: MeshFiles, mesh: Mesh, team: TeamFields): FileMap {
  const index = indexOf(manifestFiles(files, mesh), 'teams', team.id, 'team');
  return apply(files, [
    ...optional(files, ['teams', index, 'name'], nameOf(team.name, 'team')),
    ...optional(files, ['teams', index, 'description'], team.description?.trim()),
  ]);
}

export function removeTeam(files: MeshFiles, mesh: Mesh, teamId: string): FileMap {
  const index = indexOf(manifestFiles(files, mesh), 'teams', teamId, 'team');
  const users = teamUsers(mesh, teamId);
  if (users.length > 0) {
    throw new EditError(`team ${teamId} is still named by ${users.join(', ')}; give them another team before removing it`);
  }
  return applyEdit(files, { kind: 'deleteField', file: MESH_FILE, path: ['teams', index] });
}

export function addPersona(files: MeshFiles, mesh: Mesh, persona: PersonaFields): FileMap {
  checkEntryId('persona', persona.id);
  checkTeam(mesh, persona);
  if (entries(files, 'personas').some((p) => p.id === persona.id))
    throw new EditError(`mesh.yaml already declares a persona "${persona.id}"`);
  const purposes = cleanPurposes(persona.purposes);
  const value = {
    id: persona.id,
    name: nameOf(persona.name, 'persona'),
    ...(persona.description?.trim() ? { description: persona.description.trim() } : {}),
    ...(persona.team ? { team: persona.team } : {}),
    ...(purposes.length > 0 ? { purposes } : {}),
  };
  return applyEdit(manifestFiles(files, mesh), {
    kind: 'setField',
    file: MESH_FILE,
    path: ['personas', entries(files, 'personas').length],
    value,
  });
}

export function updatePersona(files: MeshFiles, mesh: Mesh, persona: PersonaFields): FileMap {
  const index = indexOf(manifestFiles(files, mesh), 'personas', persona.id, 'persona');
  checkTeam(mesh, persona);
  const purposes = cleanPurposes(persona.purposes);
  return apply(files, [
    ...optional(files, ['personas', index, 'name'], nameOf(persona.name, 'persona')),
    ...optional(files, ['personas', index, 'description'], persona.description?.trim()),
    ...optional(files, ['personas', index, 'team'], persona.team),
    ...optional(files, ['personas', index, 'purposes'], purposes.length > 0 ? purposes : undefined),
  ]);
}

export function removePersona(files: MeshFiles, mesh: Mesh, personaId: string): FileMap {
  const index = indexOf(manifestFiles(files, mesh), 'personas', personaId, 'persona');
  const users = personaUsers(mesh, personaId);
  if (users.length > 0) throw new EditError(`persona ${personaId} is played by ${users.join(', ')}; change them before removing it`);
  return applyEdit(files, { kind: 'deleteField', file: MESH_FILE, path: ['personas', index] });
}

/** Purposes as ids: split on commas or spaces, trimmed, without duplicates. */
export function parsePurposes(text: string): string[] {
  return cleanPurposes(text.split(/[\s,]+/));
}

function cleanPurposes(purposes: readonly string[] | undefined): string[] {
  const out = [...new Set((purposes ?? []).map((p) => p.trim()).filter((p) => p !== ''))];
  const bad = out.find((p) => !ID_PATTERN.test(p));
  if (bad !== undefined)
    throw new EditError(`"${bad}" cannot be a purpose: use lowercase letters, digits and single hyphens (e.g. ml-training)`);
  return out;
}

function checkEntryId(what: 'team' | 'persona', id: string): void {
  if (!ID_PATTERN.test(id)) {
    throw new EditError(
      `"${id}" cannot be a ${what} id: use lowercase letters, digits and single hyphens, starting with a letter (e.g. finance-team)`,
    );
  }
}

function checkTeam(mesh: Mesh, persona: PersonaFields): void {
  if (persona.team === undefined || persona.team === '') return;
  if (!(mesh.manifest?.teams ?? []).some((t) => t.id === persona.team)) {
    throw new EditError(`mesh.yaml declares no team "${persona.team}" for persona ${persona.id}`);
  }
}

function nameOf(name: string, what: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new EditError(`the ${what} needs a name that is not empty`);
  return trimmed;
}

/** The entries of a mesh.yaml list as written (an entry without an id counts, so indexes match the file). */
function entries(files: MeshFiles, key: 'teams' | 'personas'): { id: string | undefined }[] {
  const file = files.get(MESH_FILE);
  const raw = file && 'doc' in file ? asFields(file.value)[key] : undefined;
  return asList(raw).map((entry) => ({ id: asString(asFields(entry)['id']) }));
}

function indexOf(files: MeshFiles, key: 'teams' | 'personas', id: string, what: string): number {
  const index = entries(files, key).findIndex((e) => e.id === id);
  if (index < 0) throw new EditError(`mesh.yaml declares no ${what} "${id}"`);
  return index;
}

/** mesh.yaml must be readable before Quanta edits it: it never overwrites what it cannot parse. */
function manifestFiles(files: MeshFiles, mesh: Mesh): MeshFiles {
  if (!mesh.manifest)
    throw new EditError(`${MESH_FILE} cannot be read, so its teams and personas cannot be edited; fix ${MESH_FILE} first`);
  return files;
}

/** Sets a field to a new value, deletes it when it has none; no edit when the file already says so (no churn in the diff). */
function optional(files: MeshFiles, path: (string | number)[], value: unknown): MeshEdit[] {
  const file = files.get(MESH_FILE);
  let current: unknown = file && 'doc' in file ? file.value : undefined;
  for (const key of path) current = Array.isArray(current) ? current[key as number] : asFields(current)[key];
  if (value === undefined || value === '') return current === undefined ? [] : [{ kind: 'deleteField', file: MESH_FILE, path }];
  return deepEqual(current, value) ? [] : [{ kind: 'setField', file: MESH_FILE, path, value }];
}

function apply(files: MeshFiles, edits: readonly MeshEdit[]): FileMap {
  let current: MeshFiles = files;
  for (const edit of edits) current = applyEdit(current, edit);
  return new Map(current);
}
