import { asFields, asList, asString } from '../../model/read.ts';
import type { Contract, ContractColumn, DataProduct, Mesh, OutputPort, Persona } from '../../model/types.ts';

/*
 * Who may read which output port, and which of its columns come back masked. The rules,
 * in the order they are applied (docs/governance-access.md explains them for users):
 *
 * 1. The persona, the product and the port exist; a request made for a purpose names one
 *    the persona holds (mesh.yaml `personas[].purposes`).
 * 2. The owning team reads its own product, every column in clear.
 * 3. Port visibility (ODPS output port `customProperties: [{property: visibility, value}]`):
 *    `private` — the owning team only; `domain` — teams of the product's domain; `public`
 *    (the default) — every persona of the mesh.
 * 4. ODCS `roles` of the port's contract. Quanta reads a role's name as the purpose it
 *    serves (as the governance catalog does). A contract where any role names approvers
 *    (`firstLevelApprovers`/`secondLevelApprovers`) is given out per request: only personas
 *    holding one of its roles' purposes read it; the others are denied and told whom to ask.
 * 5. Classified columns (ODCS property `classification`, other than `public`/`internal`) are
 *    masked unless the request's purpose is a role of the contract with read access.
 *
 * Everything is decided from the mesh's metadata alone, so the decision is the same in the
 * app, the CLI and a test, and it can be explained in one sentence.
 */

export type AccessRule =
  | 'unknown-persona'
  | 'unknown-port'
  | 'purpose-not-held'
  | 'owning-team'
  | 'private-port'
  | 'domain-port'
  | 'approval-required'
  | 'granted-by-role'
  | 'open';

export type Visibility = 'public' | 'domain' | 'private';

export interface MaskedColumn {
  readonly column: string;
  readonly classification: string;
  readonly reason: string;
}

export interface AccessDecision {
  readonly persona: string;
  readonly product: string;
  readonly port: string;
  /** The purpose the request was made for, when it named one. */
  readonly purpose?: string;
  readonly allowed: boolean;
  /** Which rule decided. */
  readonly rule: AccessRule;
  /** One sentence a person can act on: why the persona may or may not read the port. */
  readonly reason: string;
  /** The ODCS role that let the persona in, when one did. */
  readonly grantedBy?: string;
  /** Classified columns the persona reads masked (empty when denied: nothing is read). */
  readonly maskedColumns: readonly MaskedColumn[];
  /** Classified columns the persona reads in clear, with the reason. */
  readonly clearColumns: readonly MaskedColumn[];
}

export interface AccessRequestInput {
  readonly persona: string;
  readonly product: string;
  readonly port: string;
  /** The purpose the data is read for; without one, every purpose the persona holds counts. */
  readonly purpose?: string;
}

/** A decided access request, as recorded: who asked for what, for which purpose, when (simulated time). */
export interface AccessRequest extends AccessRequestInput {
  readonly decision: AccessDecision;
  readonly at: string;
}

/** Classifications that are not masked: the ones the library policy treats as open too. */
const OPEN_CLASSIFICATIONS = new Set(['public', 'internal']);

export function isMaskedClassification(classification: string | undefined): classification is string {
  return classification !== undefined && classification.trim() !== '' && !OPEN_CLASSIFICATIONS.has(classification.trim().toLowerCase());
}

export interface ContractRole {
  readonly role: string;
  readonly access?: string;
  readonly approvers: readonly string[];
  /** False for a role whose `access` does not include reading (e.g. `write`). */
  readonly reads: boolean;
}

/** The ODCS `roles` of a contract. A role without `access` is read access (the ODCS examples' default). */
export function contractRoles(contract: Contract | undefined): ContractRole[] {
  return asList(contract?.document['roles']).flatMap((raw) => {
    const fields = asFields(raw);
    const role = asString(fields['role']);
    if (!role) return [];
    const access = asString(fields['access']);
    const approvers = [asString(fields['firstLevelApprovers']), asString(fields['secondLevelApprovers'])].filter(
      (a): a is string => a !== undefined && a.trim() !== '',
    );
    return [{ role, ...(access === undefined ? {} : { access }), approvers, reads: access === undefined || /read/i.test(access) }];
  });
}

/** The columns of the port's table in its contract: the schema object named after the port, else every object's. */
export function portColumns(port: OutputPort): readonly ContractColumn[] {
  const tables = port.contract?.tables ?? [];
  return tables.find((t) => t.name === port.name)?.columns ?? tables.flatMap((t) => t.columns);
}

/** ODPS output port `customProperties` `visibility`; `public` when absent or unrecognised. */
export function portVisibility(mesh: Mesh, product: DataProduct, port: OutputPort): Visibility {
  const file = mesh.files.get(product.file);
  const odps = asFields(file && 'doc' in file ? file.value : undefined);
  const raw = asList(odps['outputPorts'])[port.index];
  const entry = asList(asFields(raw)['customProperties']).find((p) => asFields(p)['property'] === 'visibility');
  const value = asString(asFields(entry)['value'])?.toLowerCase();
  return value === 'private' || value === 'domain' ? value : 'public';
}

/** Decides whether `personaId` may read `"<productId>".<port>`, and which columns are masked. */
export function decideAccess(mesh: Mesh, personaId: string, productId: string, port: string, purpose?: string): AccessDecision {
  const base = { persona: personaId, product: productId, port, ...(purpose === undefined ? {} : { purpose }) };
  const deny = (rule: AccessRule, reason: string): AccessDecision => ({
    ...base,
    allowed: false,
    rule,
    reason,
    maskedColumns: [],
    clearColumns: [],
  });

  const personas = mesh.manifest?.personas ?? [];
  const persona = personas.find((p) => p.id === personaId);
  if (!persona) {
    const known = personas.map((p) => p.id).join(', ') || 'none';
    return deny('unknown-persona', `mesh.yaml declares no persona "${personaId}" (personas: ${known})`);
  }
  const product = mesh.products.find((p) => p.id === productId);
  const output = product?.outputPorts.find((p) => p.name === port);
  if (!product || !output) {
    return deny(
      'unknown-port',
      product
        ? `product ${productId} has no output port ${port} (ports: ${product.outputPorts.map((p) => p.name).join(', ') || 'none'})`
        : `the mesh has no product ${productId}`,
    );
  }
  if (purpose !== undefined && !persona.purposes.includes(purpose)) {
    return deny('purpose-not-held', `${personaId} does not hold purpose ${purpose} (holds: ${listOr(persona.purposes, 'no purpose')})`);
  }

  const columns = portColumns(output).filter((c) => isMaskedClassification(c.classification));
  if (persona.team !== undefined && persona.team === product.team) {
    const reason = `team ${persona.team} owns ${productId}`;
    return {
      ...base,
      allowed: true,
      rule: 'owning-team',
      reason: `${reason}: its team reads it in clear`,
      maskedColumns: [],
      clearColumns: columns.map((c) => ({ column: c.name, classification: c.classification as string, reason })),
    };
  }

  const visibility = portVisibility(mesh, product, output);
  if (visibility === 'private') {
    return deny('private-port', `${productId}.${port} is private to team ${product.team ?? '(none declared)'}; ${teamOf(persona)}`);
  }
  if (visibility === 'domain' && !domainTeams(mesh, product.domain).has(persona.team ?? '')) {
    return deny(
      'domain-port',
      `${productId}.${port} is visible to domain ${product.domain} only; ${teamOf(persona)}, which is not a team of it`,
    );
  }

  const roles = contractRoles(output.contract).filter((r) => r.reads);
  const purposes = purpose === undefined ? persona.purposes : [purpose];
  const held = roles.find((r) => purposes.includes(r.role));
  const approvers = [...new Set(roles.flatMap((r) => r.approvers))];
  if (approvers.length > 0 && !held) {
    const contractId = output.contract?.id ?? port;
    return deny(
      'approval-required',
      `contract ${contractId} is granted per request to the purposes ${roles.map((r) => r.role).join(', ')}; ` +
        `${personaId} ${purpose === undefined ? `holds ${listOr(persona.purposes, 'no purpose')}` : `asks for ${purpose}`}: ask ${approvers.join(' or ')}`,
    );
  }

  const masked: MaskedColumn[] = [];
  const clear: MaskedColumn[] = [];
  for (const column of columns) {
    const classification = column.classification as string;
    if (held) {
      clear.push({
        column: column.name,
        classification,
        reason: `classified ${classification}, read for purpose ${held.role} (ODCS role)`,
      });
    } else {
      const open = roles.map((r) => r.role);
      masked.push({
        column: column.name,
        classification,
        reason:
          `classified ${classification}; ` +
          (open.length === 0
            ? 'the contract declares no role, so no purpose reads it in clear'
            : `read in clear only for ${open.join(', ')}, and ${personaId} ${purpose === undefined ? `holds ${listOr(persona.purposes, 'no purpose')}` : `reads for ${purpose}`}`),
      });
    }
  }
  return {
    ...base,
    allowed: true,
    rule: held ? 'granted-by-role' : 'open',
    reason: held
      ? `${personaId} holds purpose ${held.role}, a role of contract ${output.contract?.id ?? port}`
      : `${productId}.${port} is ${visibility === 'domain' ? `visible to domain ${product.domain}` : 'public'}; classified columns are masked`,
    ...(held ? { grantedBy: held.role } : {}),
    maskedColumns: masked,
    clearColumns: clear,
  };
}

/** Decides a request and returns it as a record, stamped with the (simulated) time `at`. */
export function requestAccess(mesh: Mesh, input: AccessRequestInput, at: string): AccessRequest {
  return { ...input, decision: decideAccess(mesh, input.persona, input.product, input.port, input.purpose), at };
}

function domainTeams(mesh: Mesh, domain: string): Set<string> {
  const teams = new Set<string>();
  const owner = mesh.domains.find((d) => d.id === domain)?.team;
  if (owner) teams.add(owner);
  for (const p of mesh.products) if (p.domain === domain && p.team) teams.add(p.team);
  return teams;
}

function teamOf(persona: Persona): string {
  return persona.team ? `${persona.id} is in team ${persona.team}` : `${persona.id} belongs to no team`;
}

function listOr(values: readonly string[], none: string): string {
  return values.length === 0 ? none : values.join(', ');
}
