import { useState, type FormEvent } from 'react';
import { planDomainDelete, planDomainRename, type DomainRename, type DomainRenamePlan } from '../../../core/edits/domainEdits.ts';
import type { MeshChange } from '../../../core/edits/meshChanges.ts';
import { parsePurposes, personaUsers, teamUsers } from '../../../core/edits/teamEdits.ts';
import { EditError } from '../../../core/model/editError.ts';
import type { Mesh } from '../../../core/model/types.ts';
import { FormFooter, idProblem, Modal, slugOf } from './dialogs.tsx';

/*
 * Dialogs about domains and the people of a mesh: rename a domain (its id too, with a list of
 * everything that follows), delete a domain (what goes, what breaks), and mesh.yaml's teams and
 * personas. Each action is one MeshChange, so one undo step; `problem` is the store's message
 * when the last change was refused.
 */

function DomainPicker({
  mesh,
  value,
  onChange,
}: {
  readonly mesh: Mesh;
  readonly value: string;
  readonly onChange: (domainId: string) => void;
}) {
  return (
    <label>
      Domain
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {mesh.domains.map((d) => (
          <option key={d.id} value={d.id}>
            {d.name} ({d.id})
          </option>
        ))}
      </select>
    </label>
  );
}

/** Renames a domain: its name, its owning team and, unless "rename only", its id with everything that names it. */
export function RenameDomainDialog({
  mesh,
  initialDomain,
  problem: refused,
  onRename,
  onClose,
}: {
  readonly mesh: Mesh;
  readonly initialDomain: string | undefined;
  readonly problem?: string | undefined;
  readonly onRename: (rename: DomainRename) => boolean;
  readonly onClose: () => void;
}) {
  const [domainId, setDomainId] = useState(initialDomain ?? mesh.domains[0]?.id ?? '');
  const current = mesh.domains.find((d) => d.id === domainId);
  const [name, setName] = useState(current?.name ?? '');
  const [id, setId] = useState('');
  const [idEdited, setIdEdited] = useState(false);
  const [keepId, setKeepId] = useState(false);
  const [team, setTeam] = useState(current?.team ?? '');
  const [tried, setTried] = useState(false);
  const teams = mesh.manifest?.teams ?? [];
  const newId = keepId ? domainId : idEdited ? id : slugOf(name) || domainId;

  let plan: DomainRenamePlan | undefined;
  let problem: string | undefined;
  if (domainId === '') problem = 'This mesh has no domain yet.';
  else if (name.trim() === '') problem = 'Give the domain a name.';
  else if (newId !== domainId) {
    problem = idProblem(newId, new Set(mesh.domains.map((d) => d.id).filter((d) => d !== domainId)), 'domain');
    if (!problem) {
      try {
        plan = planDomainRename(mesh, domainId, newId);
      } catch (error) {
        if (!(error instanceof EditError)) throw error;
        problem = `${error.message[0]?.toUpperCase() ?? ''}${error.message.slice(1)}.`;
      }
    }
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (problem) return;
    const changed = team !== '' && team !== current?.team;
    if (onRename({ domainId, name: name.trim(), ...(newId !== domainId ? { newId } : {}), ...(changed ? { team } : {}) })) onClose();
  };
  return (
    <Modal title="Rename domain" onClose={onClose} className="domain-dialog">
      <form className="modal-form" onSubmit={submit} noValidate>
        <DomainPicker
          mesh={mesh}
          value={domainId}
          onChange={(value) => {
            const domain = mesh.domains.find((d) => d.id === value);
            setDomainId(value);
            setName(domain?.name ?? '');
            setTeam(domain?.team ?? '');
            setIdEdited(false);
          }}
        />
        <label>
          New name
          <input autoFocus value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          New id
          <input
            value={newId}
            disabled={keepId}
            aria-invalid={tried && problem !== undefined}
            onChange={(e) => {
              setIdEdited(true);
              setId(e.target.value);
            }}
          />
        </label>
        <p className="hint">The id names the domain&apos;s folder, domains/{newId || '…'}/, and its products&apos; contract ids.</p>
        <label className="radio">
          <input type="checkbox" checked={keepId} onChange={(e) => setKeepId(e.target.checked)} />
          <span>Rename only: keep the id {domainId || '—'} and the folder</span>
        </label>
        {teams.length > 0 && (
          <label>
            Owning team
            <select value={team} onChange={(e) => setTeam(e.target.value)}>
              {!teams.some((t) => t.id === team) && <option value={team}>{team || '— none —'} (not declared)</option>}
              {teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name} ({t.id})
                </option>
              ))}
            </select>
          </label>
        )}
        {plan ? (
          <RenamePreview plan={plan} />
        ) : (
          <p className="hint">
            {newId === domainId && domainId !== '' ? `The id ${domainId} and the folder stay; only the name changes.` : ''}
          </p>
        )}
        <FormFooter problem={tried ? (problem ?? refused) : undefined} submit="Rename" onCancel={onClose} />
      </form>
    </Modal>
  );
}

function RenamePreview({ plan }: { readonly plan: DomainRenamePlan }) {
  return (
    <section className="domain-preview" aria-label="What changes" data-testid="rename-preview" tabIndex={0}>
      <h3>What changes (one undo step)</h3>
      <ul>
        <li>
          Folder <code>{plan.folder.from}/</code> → <code>{plan.folder.to}/</code>: {plan.movedFiles.length} file
          {plan.movedFiles.length === 1 ? '' : 's'} move, and any seed data with them
        </li>
        <li>
          <code>domain.yaml</code> id {plan.from} → {plan.to}
        </li>
        {plan.products.length > 0 && (
          <li>
            The <code>domain</code> of {plan.products.length === 1 ? 'product' : `${plan.products.length} products`}:{' '}
            {plan.products.join(', ')}
          </li>
        )}
        {plan.contracts.map((c) => (
          <li key={c.from} data-testid="contract-id-change">
            Contract <code>{c.from}</code> → <code>{c.to}</code>
          </li>
        ))}
        {plan.inputPorts.length > 0 && (
          <li>Input ports that read them: {plan.inputPorts.map((p) => `${p.productId}.${p.inputPort}`).join(', ')}</li>
        )}
        {plan.policies.length > 0 && (
          <li>
            Policy scope <code>domain:{plan.to}</code>: {plan.policies.join(', ')}
          </li>
        )}
        {plan.scenarios.length > 0 && <li>References in scenarios: {plan.scenarios.join(', ')}</li>}
      </ul>
      {plan.review.length > 0 && (
        <p className="domain-warning">
          Review by hand: the check of {plan.review.join(', ')} quotes &apos;{plan.from}&apos; in its SQL, which is not rewritten.
        </p>
      )}
      <p className="hint">Canvas positions are kept (they are stored per product id).</p>
    </section>
  );
}

/** Deleting a domain: its products and their files, its own policies, and what breaks elsewhere, before anything happens. */
export function DeleteDomainDialog({
  mesh,
  initialDomain,
  onDelete,
  onClose,
}: {
  readonly mesh: Mesh;
  readonly initialDomain: string | undefined;
  readonly onDelete: (domainId: string) => boolean;
  readonly onClose: () => void;
}) {
  const [domainId, setDomainId] = useState(initialDomain ?? mesh.domains[0]?.id ?? '');
  const domain = mesh.domains.find((d) => d.id === domainId);
  const plan = domain ? planDomainDelete(mesh, domain.id) : undefined;
  return (
    <Modal title={`Delete domain ${domain?.name ?? domainId}?`} onClose={onClose} className="domain-dialog">
      <div className="modal-form">
        <DomainPicker mesh={mesh} value={domainId} onChange={setDomainId} />
      </div>
      {plan && (
        <section className="domain-preview" aria-label="What goes" data-testid="delete-domain-preview" tabIndex={0}>
          {plan.products.length === 0 ? (
            <p>
              The domain has no data products: only <code>{plan.domain.file}</code> goes. You can undo it.
            </p>
          ) : (
            <>
              <p>
                This removes the folder <code>{plan.domain.dir}/</code> with{' '}
                {plan.products.length === 1 ? 'its data product' : `its ${plan.products.length} data products`} (seed data included). You
                can undo it.
              </p>
              <ul data-testid="deleted-products">
                {plan.products.map((p) => (
                  <li key={p.id}>
                    <details>
                      <summary>
                        {p.name} ({p.id}), {p.files.length} file{p.files.length === 1 ? '' : 's'}
                      </summary>
                      <ul>
                        {p.files.map((f) => (
                          <li key={f}>
                            <code>{f}</code>
                          </li>
                        ))}
                      </ul>
                    </details>
                  </li>
                ))}
              </ul>
            </>
          )}
          {plan.policies.length > 0 && (
            <p>
              Its own {plan.policies.length === 1 ? 'policy goes' : 'policies go'} too: {plan.policies.map((p) => p.id).join(', ')}.
            </p>
          )}
          {plan.broken.length > 0 ? (
            <>
              <p>
                <strong>
                  {plan.broken.length === 1
                    ? 'One consumer in another domain loses its upstream'
                    : `${plan.broken.length} consumers in other domains lose their upstream`}
                  :
                </strong>
              </p>
              <ul data-testid="broken-consumers">
                {plan.broken.map((c) => (
                  <li key={`${c.productId}/${c.inputPort}`}>
                    {c.productId} (input port {c.inputPort}, reads {c.from})
                  </li>
                ))}
              </ul>
            </>
          ) : (
            plan.products.length > 0 && <p>No data product in another domain reads from it.</p>
          )}
          {plan.references.length > 0 && (
            <p className="domain-warning">
              Generated columns that draw their values from it stop working:{' '}
              {plan.references.map((r) => `${r.productId} (${r.column})`).join(', ')}.
            </p>
          )}
          {plan.scenarios.length > 0 && <p className="domain-warning">Scenarios that name its products: {plan.scenarios.join(', ')}.</p>}
        </section>
      )}
      <div className="modal-actions">
        <button type="button" data-autofocus onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="danger"
          disabled={!plan}
          onClick={() => {
            if (onDelete(domainId)) onClose();
          }}
        >
          Delete domain
        </button>
      </div>
    </Modal>
  );
}

interface TeamDraft {
  readonly editing: string | undefined;
  readonly id: string;
  readonly name: string;
  readonly description: string;
}

interface PersonaDraft extends TeamDraft {
  readonly team: string;
  readonly purposes: string;
}

/** The id and name fields of a team or persona: the id follows the name (as a slug) until edited; fixed when editing. */
function IdAndName<T extends TeamDraft>({
  kind,
  draft,
  onChange,
  placeholders,
}: {
  readonly kind: 'Team' | 'Persona';
  readonly draft: T;
  readonly onChange: (next: T) => void;
  readonly placeholders: readonly [id: string, name: string];
}) {
  return (
    <>
      <label>
        {kind} id
        <input
          value={draft.id}
          disabled={draft.editing !== undefined}
          placeholder={placeholders[0]}
          onChange={(e) => onChange({ ...draft, id: e.target.value })}
        />
      </label>
      <label>
        {kind} name
        <input
          value={draft.name}
          placeholder={placeholders[1]}
          onChange={(e) =>
            onChange({
              ...draft,
              name: e.target.value,
              id: draft.editing || draft.id !== slugOf(draft.name) ? draft.id : slugOf(e.target.value),
            })
          }
        />
      </label>
    </>
  );
}

const NO_TEAM: TeamDraft = { editing: undefined, id: '', name: '', description: '' };
const NO_PERSONA: PersonaDraft = { ...NO_TEAM, team: '', purposes: '' };

/** Mesh settings: the teams and personas of mesh.yaml, each add, edit and removal one undoable change. */
export function TeamsDialog({
  mesh,
  problem: refused,
  onChange,
  onClose,
}: {
  readonly mesh: Mesh;
  readonly problem?: string | undefined;
  readonly onChange: (change: MeshChange) => boolean;
  readonly onClose: () => void;
}) {
  const teams = mesh.manifest?.teams ?? [];
  const personas = mesh.manifest?.personas ?? [];
  const [team, setTeam] = useState<TeamDraft>(NO_TEAM);
  const [persona, setPersona] = useState<PersonaDraft>(NO_PERSONA);
  const [message, setMessage] = useState<string | undefined>();
  const [tried, setTried] = useState<'team' | 'persona' | undefined>();

  const act = (change: MeshChange): boolean => {
    const ok = onChange(change);
    setMessage(ok ? undefined : 'refused');
    return ok;
  };
  const teamError =
    (team.editing === undefined ? idProblem(team.id, new Set(teams.map((t) => t.id)), 'team') : undefined) ??
    (team.name.trim() === '' ? 'Give the team a name.' : undefined);
  let purposes: string[] = [];
  let purposeError: string | undefined;
  try {
    purposes = parsePurposes(persona.purposes);
  } catch (error) {
    if (!(error instanceof EditError)) throw error;
    purposeError = `Purposes: ${error.message}.`;
  }
  const personaError =
    (persona.editing === undefined ? idProblem(persona.id, new Set(personas.map((p) => p.id)), 'persona') : undefined) ??
    (persona.name.trim() === '' ? 'Give the persona a name.' : purposeError);

  const saveTeam = (event: FormEvent) => {
    event.preventDefault();
    setTried('team');
    if (teamError) return;
    const fields = { id: team.id, name: team.name, ...(team.description.trim() ? { description: team.description } : {}) };
    if (act(team.editing === undefined ? { kind: 'addTeam', team: fields } : { kind: 'updateTeam', team: fields })) {
      setTeam(NO_TEAM);
      setTried(undefined);
    }
  };
  const savePersona = (event: FormEvent) => {
    event.preventDefault();
    setTried('persona');
    if (personaError) return;
    const fields = {
      id: persona.id,
      name: persona.name,
      purposes,
      ...(persona.description.trim() ? { description: persona.description } : {}),
      ...(persona.team ? { team: persona.team } : {}),
    };
    if (act(persona.editing === undefined ? { kind: 'addPersona', persona: fields } : { kind: 'updatePersona', persona: fields })) {
      setPersona(NO_PERSONA);
      setTried(undefined);
    }
  };
  const removeTeam = (id: string) => {
    const users = teamUsers(mesh, id);
    if (users.length > 0) setMessage(`Team ${id} is still named by ${users.join(', ')}: give them another team before removing it.`);
    else act({ kind: 'removeTeam', teamId: id });
  };
  const removePersona = (id: string) => {
    const users = personaUsers(mesh, id);
    if (users.length > 0) setMessage(`Persona ${id} is played by ${users.join(', ')}: change them before removing it.`);
    else act({ kind: 'removePersona', personaId: id });
  };
  const shown = message === 'refused' ? refused : message;

  return (
    <Modal title="Teams & personas" onClose={onClose} className="teams-dialog">
      <p className="hint">
        Declared in <code>mesh.yaml</code>. Teams own domains and products; personas query output ports, and their purposes decide which
        classified columns they see unmasked. Every change is one Undo away.
      </p>
      {!mesh.manifest && (
        <p className="form-error" role="alert">
          mesh.yaml cannot be read, so its teams and personas cannot be edited here. Fix it in a text editor first.
        </p>
      )}
      {shown && (
        <p className="form-error" role="alert">
          {shown}
        </p>
      )}
      <section aria-labelledby="teams-heading">
        <h3 id="teams-heading">Teams</h3>
        {teams.length === 0 ? (
          <p className="hint">No team yet. Add one below: every domain needs an owning team.</p>
        ) : (
          <table className="people-table">
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Name</th>
                <th scope="col">Owns</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {teams.map((t) => {
                const users = teamUsers(mesh, t.id);
                return (
                  <tr key={t.id} data-testid="team-row">
                    <td>
                      <code>{t.id}</code>
                    </td>
                    <td>
                      {t.name}
                      {t.description && <div className="hint">{t.description}</div>}
                    </td>
                    <td className="hint">{users.length === 0 ? 'nothing' : users.join(', ')}</td>
                    <td className="people-actions">
                      <button
                        type="button"
                        aria-label={`Edit team ${t.id}`}
                        onClick={() => setTeam({ editing: t.id, id: t.id, name: t.name, description: t.description ?? '' })}
                      >
                        Edit
                      </button>
                      <button type="button" aria-label={`Remove team ${t.id}`} onClick={() => removeTeam(t.id)}>
                        Remove
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        <form
          className="modal-form people-form"
          onSubmit={saveTeam}
          noValidate
          aria-label={team.editing ? `Edit team ${team.editing}` : 'Add a team'}
        >
          <h4>{team.editing ? `Edit team ${team.editing}` : 'Add a team'}</h4>
          <div className="people-fields">
            <IdAndName kind="Team" draft={team} onChange={setTeam} placeholders={['data-platform-team', 'Data platform']} />
            <label className="people-wide">
              Team description
              <input value={team.description} onChange={(e) => setTeam({ ...team, description: e.target.value })} />
            </label>
          </div>
          {tried === 'team' && teamError && (
            <p className="form-error" role="alert">
              {teamError}
            </p>
          )}
          <div className="people-form-actions">
            {team.editing !== undefined && (
              <button type="button" onClick={() => setTeam(NO_TEAM)}>
                Cancel edit
              </button>
            )}
            <button type="submit">{team.editing === undefined ? 'Add team' : 'Save team'}</button>
          </div>
        </form>
      </section>
      <section aria-labelledby="personas-heading">
        <h3 id="personas-heading">Personas</h3>
        {personas.length === 0 ? (
          <p className="hint">No persona yet. Add one to query output ports as a consumer would, with their purposes.</p>
        ) : (
          <table className="people-table">
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Name</th>
                <th scope="col">Team</th>
                <th scope="col">Purposes</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {personas.map((p) => (
                <tr key={p.id} data-testid="persona-row">
                  <td>
                    <code>{p.id}</code>
                  </td>
                  <td>
                    {p.name}
                    {p.description && <div className="hint">{p.description}</div>}
                  </td>
                  <td>{p.team ?? <span className="hint">none</span>}</td>
                  <td>{p.purposes.length > 0 ? p.purposes.join(', ') : <span className="hint">none</span>}</td>
                  <td className="people-actions">
                    <button
                      type="button"
                      aria-label={`Edit persona ${p.id}`}
                      onClick={() =>
                        setPersona({
                          editing: p.id,
                          id: p.id,
                          name: p.name,
                          description: p.description ?? '',
                          team: p.team ?? '',
                          purposes: p.purposes.join(', '),
                        })
                      }
                    >
                      Edit
                    </button>
                    <button type="button" aria-label={`Remove persona ${p.id}`} onClick={() => removePersona(p.id)}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <form
          className="modal-form people-form"
          onSubmit={savePersona}
          noValidate
          aria-label={persona.editing ? `Edit persona ${persona.editing}` : 'Add a persona'}
        >
          <h4>{persona.editing ? `Edit persona ${persona.editing}` : 'Add a persona'}</h4>
          <div className="people-fields">
            <IdAndName kind="Persona" draft={persona} onChange={setPersona} placeholders={['data-analyst', 'Data analyst']} />
            <label>
              Persona team
              <select value={persona.team} onChange={(e) => setPersona({ ...persona, team: e.target.value })}>
                <option value="">— none —</option>
                {teams.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name} ({t.id})
                  </option>
                ))}
              </select>
            </label>
            <label>
              Purposes (comma-separated)
              <input
                value={persona.purposes}
                placeholder="royalties, ml-training"
                onChange={(e) => setPersona({ ...persona, purposes: e.target.value })}
              />
            </label>
            <label className="people-wide">
              Persona description
              <input value={persona.description} onChange={(e) => setPersona({ ...persona, description: e.target.value })} />
            </label>
          </div>
          {tried === 'persona' && personaError && (
            <p className="form-error" role="alert">
              {personaError}
            </p>
          )}
          <div className="people-form-actions">
            {persona.editing !== undefined && (
              <button type="button" onClick={() => setPersona(NO_PERSONA)}>
                Cancel edit
              </button>
            )}
            <button type="submit">{persona.editing === undefined ? 'Add persona' : 'Save persona'}</button>
          </div>
        </form>
      </section>
      <div className="modal-actions">
        <button type="button" className="primary" onClick={onClose}>
          Done
        </button>
      </div>
    </Modal>
  );
}
