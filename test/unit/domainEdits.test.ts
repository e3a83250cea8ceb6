import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../core/diagnostics/diagnostic.ts';
import { planDomainDelete, planDomainRename } from '../../core/edits/domainEdits.ts';
import { applyChange, changeLabel, type MeshChange } from '../../core/edits/meshChanges.ts';
import { parsePurposes, teamUsers } from '../../core/edits/teamEdits.ts';
import { MemoryFileSystem } from '../../core/fs/memoryFileSystem.ts';
import { buildMesh, type BuiltMesh } from '../../core/load/buildMesh.ts';
import { loadMesh } from '../../core/load/loadMesh.ts';
import { EditError } from '../../core/model/editError.ts';
import { changedFiles } from '../../core/save/savePlan.ts';
import { sampleInMemory } from '../helpers.ts';

/* Renaming and deleting whole domains, and editing mesh.yaml's teams and personas, on in-memory copies of the samples. */
async function sample(name: string, extra: Record<string, string> = {}): Promise<BuiltMesh> {
  const { files } = await sampleInMemory(name);
  const { mesh, diagnostics } = await loadMesh(new MemoryFileSystem({ ...files, ...extra }));
  return { mesh, diagnostics: [...diagnostics] };
}

const errors = (diagnostics: readonly Diagnostic[]): string[] =>
  diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line} ${d.code} ${d.message}`);
const warnings = (diagnostics: readonly Diagnostic[]): string[] =>
  diagnostics.filter((d) => d.severity === 'warning').map((d) => `${d.code} ${d.message}`);

function change(before: BuiltMesh, edit: MeshChange): { after: BuiltMesh; changed: string[] } {
  const files = applyChange(before.mesh.files, edit, before.mesh);
  return { after: buildMesh(files), changed: changedFiles(files, before.mesh.files) };
}

function refused(before: BuiltMesh, edit: MeshChange, message: RegExp): void {
  let thrown: unknown;
  try {
    applyChange(before.mesh.files, edit, before.mesh);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(EditError);
  expect((thrown as Error).message).toMatch(message);
}

const text = (built: BuiltMesh, path: string): string => built.mesh.files.get(path)?.text ?? '';

describe('renaming a domain with a new id', () => {
  it('moves the folder and rewrites every id that names it, and daff still has no errors', async () => {
    const before = await sample('daff');
    expect(errors(before.diagnostics)).toEqual([]);
    const { after } = change(before, { kind: 'renameDomain', domainId: 'songs', name: 'Music catalog', newId: 'catalog' });
    expect(errors(after.diagnostics)).toEqual([]);
    expect(warnings(after.diagnostics)).toEqual(warnings(before.diagnostics));

    expect([...after.mesh.files.keys()].filter((p) => p.startsWith('domains/songs/'))).toEqual([]);
    expect(after.mesh.domains.find((d) => d.id === 'catalog')).toMatchObject({
      name: 'Music catalog',
      file: 'domains/catalog/domain.yaml',
    });
    expect(text(after, 'domains/catalog/domain.yaml')).toContain('id: catalog');
    const catalog = after.mesh.products.find((p) => p.id === 'music-catalog');
    expect(catalog).toMatchObject({ domain: 'catalog', dir: 'domains/catalog/music-catalog' });
    expect(catalog?.outputPorts.map((p) => [p.contractId, p.contract?.id])).toEqual([
      ['daff.catalog.music-catalog.tracks', 'daff.catalog.music-catalog.tracks'],
      ['daff.catalog.music-catalog.albums', 'daff.catalog.music-catalog.albums'],
    ]);
    expect(text(after, 'domains/catalog/music-catalog/tracks.odcs.yaml')).toMatch(/^domain: catalog$/m);
    // Consumers in other domains read the new contract id, so lineage is unchanged.
    const readers = after.mesh.products.filter((p) => p.inputPorts.some((i) => i.contractId.startsWith('daff.catalog.')));
    expect(readers.map((p) => p.id).sort()).toEqual(['artist-profiles', 'listener-music-profiles']);
    expect(after.mesh.products.flatMap((p) => p.inputPorts).some((i) => i.contractId.startsWith('daff.songs.'))).toBe(false);
    // Comments of the moved files survive.
    expect(text(after, 'domains/catalog/music-catalog/product.odps.yaml')).toContain('# A source-aligned product: the music catalog');
  });

  it('lists what will change before anything happens, policies and scenarios included', async () => {
    const daff = (await sample('daff')).mesh;
    const plan = planDomainRename(daff, 'finance', 'money');
    expect(plan.folder).toEqual({ from: 'domains/finance', to: 'domains/money' });
    expect(plan.movedFiles).toContain('domains/finance/domain.yaml');
    expect(plan.products).toEqual(['artist-royalties']);
    expect(plan.contracts).toEqual([
      { from: 'daff.finance.artist-royalties.artist_royalties', to: 'daff.money.artist-royalties.artist_royalties' },
    ]);
    expect(plan.policies).toEqual(['finance-money-is-decimal']);
    // Its SQL says `p.domain = 'finance'`: not rewritten, so the plan asks for a review.
    expect(plan.review).toEqual(['finance-money-is-decimal']);
    expect(plan.scenarios).toContain('schema-drift');
  });

  it('rewrites policy scopes and scenario references to the domain and its folder', async () => {
    const before = await sample('daff');
    const { after } = change(before, { kind: 'renameDomain', domainId: 'playlists', name: 'Playlists', newId: 'curation' });
    expect(errors(after.diagnostics)).toEqual([]);
    const scenario = text(after, 'scenarios/genre-by-country.scenario.yaml');
    expect(scenario).toMatch(/^ {4}domain: curation$/m);
    expect(scenario).toContain('file: domains/curation/genre-by-country/transform.sql');
    expect(scenario).not.toContain('file: domains/playlists/');
    const finance = change(before, { kind: 'renameDomain', domainId: 'finance', name: 'Money', newId: 'money' }).after;
    expect(finance.mesh.policies.find((p) => p.id === 'finance-money-is-decimal')?.scope).toBe('domain:money');
    expect(errors(finance.diagnostics)).toEqual([]);
  });

  it('keeps the id when asked to rename only, and can hand the domain to another team', async () => {
    const before = await sample('daff');
    const { after, changed } = change(before, { kind: 'renameDomain', domainId: 'songs', name: 'Songs & albums', team: 'artists-team' });
    expect(changed).toEqual(['domains/songs/domain.yaml']);
    expect(after.mesh.domains.find((d) => d.id === 'songs')).toMatchObject({ name: 'Songs & albums', team: 'artists-team' });
    expect(change(before, { kind: 'renameDomain', domainId: 'songs', name: 'Songs', newId: 'songs' }).changed).toEqual([]);
  });

  it('refuses an id another domain has, an invalid id and an undeclared team', async () => {
    const before = await sample('daff');
    refused(before, { kind: 'renameDomain', domainId: 'songs', name: 'S', newId: 'artists' }, /already a domain "artists" \(Artists\)/);
    refused(before, { kind: 'renameDomain', domainId: 'songs', name: 'S', newId: 'Big Songs' }, /"Big Songs" cannot be a domain id/);
    refused(before, { kind: 'renameDomain', domainId: 'songs', name: 'S', team: 'nobody' }, /no team "nobody"/);
    refused(before, { kind: 'renameDomain', domainId: 'songs', name: ' ', newId: 'tunes' }, /needs a name/);
  });

  it('says what it did in the undo menu', () => {
    expect(changeLabel({ kind: 'renameDomain', domainId: 'songs', name: 'S', newId: 'catalog' })).toBe('Rename domain songs to catalog');
    expect(changeLabel({ kind: 'deleteDomain', domainId: 'songs' })).toBe('Delete domain songs');
    expect(changeLabel({ kind: 'addTeam', team: { id: 'data-team', name: 'Data' } })).toBe('Add team data-team');
  });
});

describe('deleting a domain', () => {
  it('lists its products, their files, its own policies and the consumers in other domains that break', async () => {
    const daff = (await sample('daff')).mesh;
    const plan = planDomainDelete(daff, 'songs');
    expect(plan.products.map((p) => p.id)).toEqual(['music-catalog']);
    expect(plan.products[0]?.files).toContain('domains/songs/music-catalog/product.odps.yaml');
    expect(plan.broken.map((b) => `${b.productId}.${b.inputPort}`)).toEqual([
      'artist-profiles.albums',
      'artist-profiles.tracks',
      'listener-music-profiles.tracks',
    ]);
    // Generated play events and playlists draw their track ids from the catalog.
    expect(plan.references.map((r) => r.productId)).toEqual(['play-events', 'playlists', 'playlists']);
    expect(planDomainDelete(daff, 'finance').policies.map((p) => p.id)).toEqual(['finance-money-is-decimal']);
  });

  it('removes the folder and its policies; exactly the listed consumers lose their upstream', async () => {
    const before = await sample('daff');
    const plan = planDomainDelete(before.mesh, 'songs');
    const { after, changed } = change(before, { kind: 'deleteDomain', domainId: 'songs' });
    expect(changed).toEqual([...plan.files].sort());
    expect(after.mesh.domains.map((d) => d.id)).not.toContain('songs');
    const broken = after.diagnostics.filter((d) => d.code === 'QUANTA_E021').map((d) => d.file);
    expect(broken.sort()).toEqual(plan.broken.map((b) => after.mesh.products.find((p) => p.id === b.productId)?.file).sort());
    const dangling = after.diagnostics.filter((d) => d.code === 'QUANTA_E040').map((d) => d.file.split('/')[2]);
    expect(dangling).toEqual(plan.references.map((r) => r.productId));
    expect(errors(after.diagnostics)).toHaveLength(broken.length + dangling.length);

    const finance = change(before, { kind: 'deleteDomain', domainId: 'finance' });
    expect(finance.changed).toContain('policies/finance-money-is-decimal.policy.yaml');
    // Nothing reads the royalties, but two scenarios have goals about them: the plan says so.
    const plan2 = planDomainDelete(before.mesh, 'finance');
    expect(plan2.broken).toEqual([]);
    expect(plan2.scenarios).toEqual(['listener-ids-are-personal', 'schema-drift']);
    expect(errors(finance.after.diagnostics).map((e) => e.split(':')[0])).toEqual(
      plan2.scenarios.map((id) => `scenarios/${id}.scenario.yaml`),
    );
  });

  it('deletes an empty domain as its domain.yaml alone', async () => {
    const before = await sample('hello-mesh', {
      'domains/marketing/domain.yaml': 'apiVersion: quanta/v1\nkind: Domain\nid: marketing\nname: Marketing\nteam: sales-team\n',
    });
    expect(planDomainDelete(before.mesh, 'marketing').products).toEqual([]);
    expect(change(before, { kind: 'deleteDomain', domainId: 'marketing' }).changed).toEqual(['domains/marketing/domain.yaml']);
  });
});

describe('teams and personas in mesh.yaml', () => {
  it('adds, edits and removes a team, keeping the comments of mesh.yaml', async () => {
    const before = await sample('daff');
    const added = change(before, { kind: 'addTeam', team: { id: 'platform-team', name: 'Platform', description: 'Runs the platform.' } });
    expect(added.changed).toEqual(['mesh.yaml']);
    expect(added.after.mesh.manifest?.teams.at(-1)).toEqual({ id: 'platform-team', name: 'Platform', description: 'Runs the platform.' });
    expect(text(added.after, 'mesh.yaml')).toContain('# daff: Daff, Inc.');
    expect(errors(added.after.diagnostics)).toEqual([]);

    const edited = change(added.after, { kind: 'updateTeam', team: { id: 'platform-team', name: 'Platform engineering' } });
    expect(edited.after.mesh.manifest?.teams.at(-1)).toEqual({ id: 'platform-team', name: 'Platform engineering' });
    const removed = change(edited.after, { kind: 'removeTeam', teamId: 'platform-team' });
    expect(removed.after.mesh.manifest?.teams.map((t) => t.id)).toEqual(before.mesh.manifest?.teams.map((t) => t.id));
    expect(text(removed.after, 'mesh.yaml')).toContain('# The federation');
  });

  it('refuses to remove a team that owns a domain, a product or a persona, saying who', async () => {
    const before = await sample('daff');
    expect(teamUsers(before.mesh, 'finance-team')).toEqual(['domain finance', 'product artist-royalties', 'persona finance-analyst']);
    refused(
      before,
      { kind: 'removeTeam', teamId: 'finance-team' },
      /team finance-team is still named by domain finance, product artist-royalties, persona finance-analyst/,
    );
    refused(before, { kind: 'addTeam', team: { id: 'finance-team', name: 'Again' } }, /already declares a team "finance-team"/);
    refused(before, { kind: 'addTeam', team: { id: 'Finance', name: 'F' } }, /"Finance" cannot be a team id/);
  });

  it('adds, edits and removes a persona with a team and purposes', async () => {
    const before = await sample('daff');
    const persona = { id: 'auditor', name: 'Auditor', team: 'finance-team', purposes: parsePurposes('royalties, audit') };
    const added = change(before, { kind: 'addPersona', persona });
    expect(added.after.mesh.manifest?.personas.at(-1)).toEqual({ ...persona, purposes: ['royalties', 'audit'] });
    expect(errors(added.after.diagnostics)).toEqual([]);
    const edited = change(added.after, { kind: 'updatePersona', persona: { id: 'auditor', name: 'External auditor', purposes: [] } });
    expect(edited.after.mesh.manifest?.personas.at(-1)).toEqual({ id: 'auditor', name: 'External auditor', purposes: [] });
    const removed = change(edited.after, { kind: 'removePersona', personaId: 'auditor' });
    expect(removed.after.mesh.manifest?.personas.map((p) => p.id)).toEqual(before.mesh.manifest?.personas.map((p) => p.id));
    refused(before, { kind: 'addPersona', persona: { id: 'x', name: 'X', team: 'nobody' } }, /no team "nobody" for persona x/);
    refused(
      before,
      { kind: 'addPersona', persona: { id: 'x', name: 'X', purposes: ['Big purpose'] } },
      /"Big" cannot be a purpose|"Big purpose" cannot be a purpose/,
    );
    refused(before, { kind: 'removePersona', personaId: 'finance-analyst' }, /played by scenario/);
  });

  it('edits a flow-style entry of a new mesh in place', async () => {
    const before = await sample('hello-mesh', {
      'mesh.yaml':
        'apiVersion: quanta/v1\nkind: Mesh\nname: hello\nteams:\n  # who runs it\n  - { id: sales-team, name: Sales }\n  - { id: finance-team, name: Finance }\n',
    });
    const { after } = change(before, { kind: 'updateTeam', team: { id: 'sales-team', name: 'Sales ops' } });
    expect(text(after, 'mesh.yaml')).toContain('# who runs it');
    expect(after.mesh.manifest?.teams[0]).toEqual({ id: 'sales-team', name: 'Sales ops' });
  });
});
