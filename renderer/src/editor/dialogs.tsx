import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { consumersBrokenBy } from '../../../core/edits/meshChanges.ts';
import { DomainSelect } from '../components/DomainSelect.tsx';
import { ARCHETYPES, type Archetype, type Mesh } from '../../../core/model/types.ts';

/** A modal <dialog>: focus moves in, Escape cancels, the page behind is inert. */
export function Modal({
  title,
  onClose,
  children,
  className,
}: {
  readonly title: string;
  readonly onClose: () => void;
  readonly children: ReactNode;
  readonly className?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    // showModal focuses the first control; a dialog that asks before destroying marks Cancel to have the focus instead.
    dialog?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={className ? `modal ${className}` : 'modal'}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}

/** A dialog form's end: why it cannot be submitted yet (once tried), Cancel, and the submit button. */
export function FormFooter({
  problem,
  submit,
  onCancel,
}: {
  readonly problem: string | undefined;
  readonly submit: string;
  readonly onCancel: () => void;
}) {
  return (
    <>
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      <div className="modal-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary">
          {submit}
        </button>
      </div>
    </>
  );
}

export const ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Lowercase kebab-case from a display name: "Weekly Report" → "weekly-report". */
export function slugOf(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^[0-9-]+/, '');
}

export function idProblem(id: string, taken: ReadonlySet<string>, what: string): string | undefined {
  if (id === '') return `Give the ${what} an id.`;
  if (!ID_PATTERN.test(id)) return 'Use lowercase letters, digits and single hyphens, starting with a letter (e.g. weekly-report).';
  if (taken.has(id)) return `There is already a ${what} with the id "${id}".`;
  return undefined;
}

export interface NewProductRequest {
  readonly domain: string;
  readonly id: string;
  readonly name: string;
  readonly archetype: Archetype;
  readonly upstreams: readonly { readonly productId: string; readonly port: string }[];
}

const ARCHETYPE_HELP: Readonly<Record<Archetype, string>> = {
  'source-aligned': 'facts from an operational system; starts with a generated source',
  aggregate: 'combines several upstream products',
  'consumer-aligned': 'shaped for one use: a report, ML features',
};

/** "New data product": a blueprint per archetype, optionally reading upstream output ports. */
export function NewProductDialog({
  mesh,
  initialDomain,
  onCreate,
  onClose,
}: {
  readonly mesh: Mesh;
  readonly initialDomain: string | undefined;
  readonly onCreate: (request: NewProductRequest) => boolean;
  readonly onClose: () => void;
}) {
  const [domain, setDomain] = useState(initialDomain ?? mesh.domains[0]?.id ?? '');
  const [name, setName] = useState('');
  const [id, setId] = useState('');
  const [idEdited, setIdEdited] = useState(false);
  // With nothing to read from, a consumer-aligned product would have no input (QUANTA_W038 at once): start at the source.
  const [archetype, setArchetype] = useState<Archetype>(mesh.products.length === 0 ? 'source-aligned' : 'consumer-aligned');
  const [upstreams, setUpstreams] = useState<string[]>([]);
  const [tried, setTried] = useState(false);
  const taken = new Set(mesh.products.map((p) => p.id));
  const effectiveId = idEdited ? id : slugOf(name);
  const problem =
    domain === '' ? 'Create a domain first: every data product belongs to one.' : idProblem(effectiveId, taken, 'data product');
  const ports = mesh.products.flatMap((p) =>
    p.outputPorts.map((port) => ({ key: `${p.id}/${port.name}`, productId: p.id, port: port.name })),
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (problem) return;
    const chosen = ports.filter((p) => upstreams.includes(p.key)).map(({ productId, port }) => ({ productId, port }));
    if (
      onCreate({
        domain,
        id: effectiveId,
        name: name.trim() || effectiveId,
        archetype,
        upstreams: archetype === 'source-aligned' ? [] : chosen,
      })
    )
      onClose();
  };

  return (
    <Modal title="New data product" onClose={onClose}>
      <form className="modal-form" onSubmit={submit} noValidate>
        <DomainSelect domains={mesh.domains} value={domain} onChange={setDomain} />
        <label>
          Name
          <input autoFocus value={name} onChange={(e) => setName(e.target.value)} placeholder="Weekly listening report" />
        </label>
        <label>
          Id
          <input
            value={effectiveId}
            onChange={(e) => {
              setIdEdited(true);
              setId(e.target.value);
            }}
            aria-invalid={tried && problem !== undefined}
          />
        </label>
        <fieldset>
          <legend>Archetype (blueprint)</legend>
          {ARCHETYPES.map((a) => (
            <label key={a} className="radio">
              <input type="radio" name="archetype" value={a} checked={archetype === a} onChange={() => setArchetype(a)} />
              <span>
                <span className="radio-name">{a}</span> — <span className="hint">{ARCHETYPE_HELP[a]}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {archetype !== 'source-aligned' && ports.length > 0 && (
          <label>
            Reads from (optional; you can also connect later by dragging on the canvas)
            <select
              multiple
              value={upstreams}
              size={Math.min(6, ports.length)}
              onChange={(e) => setUpstreams([...e.target.selectedOptions].map((o) => o.value))}
            >
              {ports.map((p) => (
                <option key={p.key} value={p.key}>
                  {p.productId} · {p.port}
                </option>
              ))}
            </select>
          </label>
        )}
        <FormFooter problem={tried ? problem : undefined} submit="Create product" onCancel={onClose} />
      </form>
    </Modal>
  );
}

export interface NewDomainRequest {
  readonly id: string;
  readonly name: string;
  readonly team?: string;
}

export function NewDomainDialog({
  mesh,
  onCreate,
  onClose,
}: {
  readonly mesh: Mesh;
  readonly onCreate: (request: NewDomainRequest) => boolean;
  readonly onClose: () => void;
}) {
  const [name, setName] = useState('');
  const [team, setTeam] = useState(mesh.manifest?.teams[0]?.id ?? '');
  const [tried, setTried] = useState(false);
  const id = slugOf(name);
  const problem = idProblem(id, new Set(mesh.domains.map((d) => d.id)), 'domain');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (problem) return;
    if (onCreate({ id, name: name.trim(), ...(team ? { team } : {}) })) onClose();
  };
  return (
    <Modal title="New domain" onClose={onClose}>
      <form className="modal-form" onSubmit={submit} noValidate>
        <label>
          Name
          <input autoFocus value={name} onChange={(e) => setName(e.target.value)} placeholder="Podcasts" />
        </label>
        <p className="hint">Id: {id || '—'}</p>
        {(mesh.manifest?.teams.length ?? 0) > 0 && (
          <label>
            Owning team
            <select value={team} onChange={(e) => setTeam(e.target.value)}>
              {mesh.manifest?.teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <FormFooter problem={tried ? problem : undefined} submit="Create domain" onCancel={onClose} />
      </form>
    </Modal>
  );
}

/** Deleting a product: says which consumers lose their upstream before anything happens. */
export function DeleteProductDialog({
  mesh,
  productId,
  onDelete,
  onClose,
}: {
  readonly mesh: Mesh;
  readonly productId: string;
  readonly onDelete: () => void;
  readonly onClose: () => void;
}) {
  const broken = consumersBrokenBy(mesh, productId);
  const product = mesh.products.find((p) => p.id === productId);
  return (
    <Modal title={`Delete ${product?.name ?? productId}?`} onClose={onClose}>
      <p>
        This removes the folder <code>{product?.dir}</code> with its contract, transform and settings. You can undo it.
      </p>
      {broken.length === 0 ? (
        <p>No other data product reads from it.</p>
      ) : (
        <>
          <p>
            <strong>{broken.length === 1 ? 'One consumer loses its upstream' : `${broken.length} consumers lose their upstream`}:</strong>
          </p>
          <ul data-testid="broken-consumers">
            {broken.map((c) => (
              <li key={`${c.productId}/${c.inputPort}`}>
                {c.productId} (input port {c.inputPort}, contract {c.contractId})
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="modal-actions">
        <button type="button" autoFocus onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => {
            onDelete();
            onClose();
          }}
        >
          Delete
        </button>
      </div>
    </Modal>
  );
}

/** Confirms Reset: every kept version, the clock and injected faults go; the mesh files stay. Cancel has the focus. */
export function ResetRunsDialog({ onReset, onClose }: { readonly onReset: () => void; readonly onClose: () => void }) {
  return (
    <Modal title="Reset the runs?" onClose={onClose}>
      <p>
        This forgets every published version, the simulated clock and the injected faults. The mesh files are not changed, and this cannot
        be undone.
      </p>
      <div className="modal-actions">
        <button type="button" autoFocus onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => {
            onReset();
            onClose();
          }}
        >
          Reset
        </button>
      </div>
    </Modal>
  );
}
