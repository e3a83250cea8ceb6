import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { Validator, type Schema } from '@cfworker/json-schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyEdit, applyEdits, type MeshEdit } from '../../core/edits/meshEdits.ts';
import { portVisibility } from '../../core/governance/access/access.ts';
import { buildMesh } from '../../core/load/buildMesh.ts';
import type { Mesh, MeshFiles } from '../../core/model/types.ts';
import type { PortVersion } from '../../core/run/runTypes.ts';
import type { YamlSourceFile } from '../../core/yaml/sourceFile.ts';
import {
  addRoleEdit,
  personasHolding,
  removeRoleEdit,
  roleFieldEdit,
  roleProblem,
  roleRows,
} from '../../renderer/src/inspector/terms/roleTerms.ts';
import {
  addSlaEdit,
  elementOptions,
  measureFreshness,
  removeSlaEdit,
  slaFieldEdit,
  slaProblem,
  slaPropertyEdits,
  slaRows,
  type SlaRow,
} from '../../renderer/src/inspector/terms/slaTerms.ts';
import { crossDomainConsumers, personasShutOut, visibilityEdit } from '../../renderer/src/inspector/terms/visibilityTerms.ts';
import { loadSample, SHARED_STANDARDS } from '../helpers.ts';

/*
 * The Contract tab's SLA & access forms ↔ file edits, on the samples' real files: every edit
 * keeps the file's comments and the fields the form does not show, and the written contract
 * and product descriptor still validate against the official ODCS v3.1.0 / ODPS v1.0.0 schemas.
 */
const ORDERS = 'domains/sales/orders/orders.odcs.yaml';
const PROFILES_ODPS = 'domains/listeners/listener-profiles/product.odps.yaml';

let odcs: Validator;
let odps: Validator;
let hello: Mesh;
let daff: Mesh;
beforeAll(async () => {
  const read = async (path: string) => JSON.parse(await fsp.readFile(nodePath.join(SHARED_STANDARDS, path), 'utf8')) as Schema;
  odcs = new Validator(await read('odcs/odcs-json-schema-v3.1.0.json'), '2019-09', false);
  odps = new Validator(await read('odps/odps-json-schema-v1.0.0.json'), '2019-09', false);
  hello = (await loadSample('hello-mesh')).mesh;
  daff = (await loadSample('daff')).mesh;
});

const yaml = (files: MeshFiles, path: string) => files.get(path) as YamlSourceFile;

function after(files: MeshFiles, edits: MeshEdit | undefined | readonly MeshEdit[]): MeshFiles {
  if (edits === undefined) throw new Error('the form made no edit');
  return Array.isArray(edits) ? applyEdits(files, edits) : applyEdit(files, edits as MeshEdit);
}

function expectValid(validator: Validator, file: YamlSourceFile): void {
  const result = validator.validate(file.value);
  expect(result.errors.map((e) => `${e.instanceLocation}: ${e.error}`)).toEqual([]);
}

const sla = (file: YamlSourceFile, property: string): SlaRow => {
  const found = slaRows(file).find((r) => r.property === property);
  if (!found) throw new Error(`no SLA ${property}`);
  return found;
};

describe('SLA properties', () => {
  it('shows each slaProperties entry of the contract as a row, with the schema columns as elements', () => {
    const file = yaml(hello.files, ORDERS);
    expect(slaRows(file)).toEqual([
      { index: 0, property: 'latency', value: '1', unit: 'd', element: 'orders.ordered_at', description: '', editable: true },
    ]);
    expect(elementOptions(file)).toEqual(['orders.order_id', 'orders.ordered_at', 'orders.customer_email', 'orders.amount_eur']);
  });

  it('adds a retention promise next to the freshness one, edits it, and keeps the comments and valid ODCS', () => {
    const file = yaml(hello.files, ORDERS);
    const added = after(hello.files, addSlaEdit(file));
    const next = yaml(added, ORDERS);
    expect(slaRows(next).map((r) => [r.property, r.value, r.unit])).toEqual([
      ['latency', '1', 'd'],
      ['frequency', '1', 'd'],
    ]);
    const row = sla(next, 'frequency');
    const edited = after(added, [
      ...slaPropertyEdits(next, row, 'retention'),
      slaFieldEdit(next, row, 'value', '7')!,
      slaFieldEdit(next, row, 'unit', 'y')!,
      slaFieldEdit(next, row, 'description', 'Orders are kept seven years for the tax office.')!,
    ]);
    const out = yaml(edited, ORDERS);
    expect(slaRows(out)[1]).toMatchObject({
      property: 'retention',
      value: '7',
      unit: 'y',
      description: 'Orders are kept seven years for the tax office.',
    });
    expect(out.value).toMatchObject({ slaProperties: [{ property: 'latency' }, { property: 'retention', value: 7, unit: 'y' }] });
    expect(out.text).toContain('# A role is named after the purpose it serves');
    expect(out.text).toContain("# Where this port's data lives");
    expectValid(odcs, out);
  });

  it('creates the slaProperties list in a contract that has none', () => {
    const removed = after(hello.files, { kind: 'deleteField', file: ORDERS, path: ['slaProperties'] });
    const file = yaml(removed, ORDERS);
    expect(slaRows(file)).toEqual([]);
    const edit = addSlaEdit(file);
    expect(edit).toEqual({
      kind: 'setField',
      file: ORDERS,
      path: ['slaProperties'],
      value: [{ property: 'latency', value: 1, unit: 'd' }],
    });
    const out = yaml(after(removed, edit), ORDERS);
    expect(slaRows(out).map((r) => r.property)).toEqual(['latency']);
    expectValid(odcs, out);
  });

  it('refuses values ODCS or Quanta cannot read, saying why, and writes nothing for them', () => {
    const row = sla(yaml(hello.files, ORDERS), 'latency');
    expect(slaProblem(row, 'value', 'soon')).toMatch(/latency takes a number/);
    expect(slaProblem(row, 'value', '')).toMatch(/needs a value/);
    expect(slaProblem(row, 'value', '-2')).toMatch(/cannot be negative/);
    expect(slaProblem(row, 'unit', '%')).toMatch(/% is not a unit of time/);
    expect(slaProblem(row, 'property', ' ')).toMatch(/needs a name/);
    expect(slaProblem({ ...row, property: 'availability', unit: '%' }, 'value', '120')).toMatch(/over 100 %/);
    expect(slaProblem(row, 'value', '12')).toBeUndefined();
    expect(slaFieldEdit(yaml(hello.files, ORDERS), row, 'value', 'soon')).toBeUndefined();
    // A number is written as a number; an emptied optional field is removed.
    expect(slaFieldEdit(yaml(hello.files, ORDERS), row, 'value', '12')).toEqual({
      kind: 'setField',
      file: ORDERS,
      path: ['slaProperties', 0, 'value'],
      value: 12,
    });
    expect(slaFieldEdit(yaml(hello.files, ORDERS), row, 'element', '')).toEqual({
      kind: 'deleteField',
      file: ORDERS,
      path: ['slaProperties', 0, 'element'],
    });
  });

  it('gives a property of another kind a value that fits it', () => {
    const file = yaml(hello.files, ORDERS);
    const out = yaml(after(hello.files, slaPropertyEdits(file, sla(file, 'latency'), 'availability')), ORDERS);
    expect(slaRows(out)[0]).toMatchObject({ property: 'availability', value: '99.9', unit: '%', element: 'orders.ordered_at' });
    expectValid(odcs, out);
    const text = yaml(after(hello.files, slaPropertyEdits(file, sla(file, 'latency'), 'timeOfAvailability')), ORDERS);
    expect(slaRows(text)[0]).toMatchObject({ property: 'timeOfAvailability', value: '09:00-08:00', unit: '' });
  });

  it('removes one entry and leaves the others', () => {
    const file = yaml(daff.files, 'domains/listeners/listener-profiles/listener_profiles.odcs.yaml');
    const out = yaml(after(daff.files, removeSlaEdit(file, sla(file, 'frequency'))), file.path);
    expect(slaRows(out).map((r) => r.property)).toEqual(['latency', 'retention']);
    expect(sla(out, 'retention').description).toBe('Personal data: a profile is erased with its registration.');
    expectValid(odcs, out);
  });

  it('keeps the fields the form does not show (driver) when it edits an entry', () => {
    const file = yaml(daff.files, 'domains/finance/artist-royalties/artist_royalties.odcs.yaml');
    const retention = sla(file, 'retention');
    const out = yaml(after(daff.files, slaFieldEdit(file, retention, 'value', '12')), file.path);
    expect((out.value as { slaProperties: unknown[] }).slaProperties[retention.index]).toEqual({
      property: 'retention',
      value: 12,
      unit: 'y',
      element: 'artist_royalties.period_start',
      driver: 'regulatory',
    });
    expect(out.text.split('\n').length).toBe(file.text.split('\n').length);
    expectValid(odcs, out);
  });

  it('measures freshness against the simulated clock: met while the data is younger than the promise, missed after', () => {
    const row = sla(yaml(hello.files, ORDERS), 'latency');
    const version = {
      version: 3,
      dataAt: '2026-01-01T00:00:00.000Z',
      simulatedAt: '2026-01-01T06:00:00.000Z',
      freshness: { ageSeconds: 6 * 3600, latencySeconds: 86_400, late: false },
    } as PortVersion;
    expect(measureFreshness(row, undefined, '2026-01-01T06:00:00.000Z')).toBeUndefined();
    expect(measureFreshness(row, version, '2026-01-01T12:00:00.000Z')).toMatchObject({ met: true, ageSeconds: 12 * 3600, at: 'now' });
    const late = measureFreshness(row, version, '2026-01-03T00:00:00.000Z');
    expect(late).toMatchObject({ met: false, ageSeconds: 2 * 86_400 });
    expect(late?.text).toBe('missed: version 3 is 2d old now, the promise is 1d');
    // Without a clock, the age at publish is what is known.
    expect(measureFreshness(row, version, undefined)).toMatchObject({ met: true, ageSeconds: 6 * 3600, at: 'publish' });
    expect(measureFreshness({ ...row, unit: 'h', value: '2' }, version, undefined)?.met).toBe(false);
  });
});

describe('roles', () => {
  it('shows the roles and which personas hold each as a purpose', () => {
    const file = yaml(hello.files, ORDERS);
    expect(roleRows(file)).toEqual([
      { index: 0, role: 'reporting', access: 'read', description: '', firstLevelApprovers: '', secondLevelApprovers: '', editable: true },
    ]);
    expect(personasHolding(hello, 'reporting').map((p) => p.id)).toEqual(['finance-analyst']);
    expect(personasHolding(hello, 'marketing')).toEqual([]);
  });

  it('adds a role named after a purpose no role names yet, edits its approvers, and keeps valid ODCS with comments', () => {
    const file = yaml(daff.files, 'domains/playlists/playlists/playlists.odcs.yaml');
    const added = after(daff.files, addRoleEdit(file, daff));
    const next = yaml(added, file.path);
    const rows = roleRows(next);
    expect(rows.map((r) => [r.role, r.access])).toEqual([
      ['playlists-reader', 'read'],
      ['ml-training', 'read'],
    ]);
    const role = rows[1]!;
    const out = yaml(
      after(added, [
        roleFieldEdit(next, rows, role, 'description', 'Recommendations train on playlists.')!,
        roleFieldEdit(next, rows, role, 'firstLevelApprovers', 'Head of Playlists')!,
      ]),
      file.path,
    );
    expect(roleRows(out)[1]).toMatchObject({ role: 'ml-training', firstLevelApprovers: 'Head of Playlists' });
    expect(out.text.split('\n').filter((l) => l.startsWith('#'))).toEqual(file.text.split('\n').filter((l) => l.startsWith('#')));
    expectValid(odcs, out);
  });

  it('creates the roles list in a contract without one, and removes a role', () => {
    const removed = after(hello.files, { kind: 'deleteField', file: ORDERS, path: ['roles'] });
    const edit = addRoleEdit(yaml(removed, ORDERS), hello);
    expect(edit).toEqual({ kind: 'setField', file: ORDERS, path: ['roles'], value: [{ role: 'reporting', access: 'read' }] });
    const out = yaml(after(removed, edit), ORDERS);
    expectValid(odcs, out);
    const gone = yaml(after(hello.files, removeRoleEdit(yaml(hello.files, ORDERS), roleRows(yaml(hello.files, ORDERS))[0]!)), ORDERS);
    expect(roleRows(gone)).toEqual([]);
  });

  it('refuses an empty or duplicate role name', () => {
    const file = yaml(daff.files, 'domains/listeners/listener-profiles/listener_profiles.odcs.yaml');
    const rows = roleRows(file);
    expect(roleProblem(rows, rows[0]!, 'role', ' ')).toMatch(/needs a name/);
    expect(roleProblem(rows, rows[0]!, 'role', 'marketing')).toBe('“marketing” is already a role of this contract.');
    expect(roleFieldEdit(file, rows, rows[0]!, 'role', 'marketing')).toBeUndefined();
    expect(roleFieldEdit(file, rows, rows[0]!, 'role', 'segmentation')).toEqual({
      kind: 'setField',
      file: file.path,
      path: ['roles', 0, 'role'],
      value: 'segmentation',
    });
  });
});

describe('port visibility', () => {
  const profiles = () => {
    const product = daff.products.find((p) => p.id === 'listener-profiles')!;
    return { product, port: product.outputPorts[0]! };
  };

  it('names the consumers of other domains a non-public port would cut off, and the policy that flags them', () => {
    const { product, port } = profiles();
    expect(crossDomainConsumers(daff, product, port).map((c) => [c.product, c.domain, c.policy?.id])).toEqual([
      ['podcast-listeners', 'podcasts', 'quanta.no-cross-domain-private-ports'],
      ['listener-music-profiles', 'recommendations', 'quanta.no-cross-domain-private-ports'],
    ]);
    expect(personasShutOut(daff, product, 'public')).toEqual([]);
    expect(personasShutOut(daff, product, 'private').map((p) => p.id)).toEqual([
      'data-scientist',
      'finance-analyst',
      'marketing-analyst',
      'trainee',
    ]);
  });

  it('creates the customProperties list with visibility in product.odps.yaml, keeping its comment and valid ODPS', () => {
    const { product, port } = profiles();
    const edit = visibilityEdit(daff, product, port, 'private');
    expect(edit).toEqual({
      kind: 'setField',
      file: PROFILES_ODPS,
      path: ['outputPorts', 0, 'customProperties'],
      value: [{ property: 'visibility', value: 'private' }],
    });
    expect(visibilityEdit(daff, product, port, 'public')).toBeUndefined();
    const files = after(daff.files, edit);
    const out = yaml(files, PROFILES_ODPS);
    expect(out.text.startsWith('# An aggregate product: who each listener is today')).toBe(true);
    expectValid(odps, out);
    const mesh = buildMesh(files).mesh;
    const rebuilt = mesh.products.find((p) => p.id === 'listener-profiles')!;
    expect(portVisibility(mesh, rebuilt, rebuilt.outputPorts[0]!)).toBe('private');

    // Changed again: the entry's value is set in place; other custom properties stay.
    const withOther = after(files, {
      kind: 'setField',
      file: PROFILES_ODPS,
      path: ['outputPorts', 0, 'customProperties', 1],
      value: { property: 'tier', value: 'gold' },
    });
    const mesh2 = buildMesh(withOther).mesh;
    const p2 = mesh2.products.find((p) => p.id === 'listener-profiles')!;
    const toDomain = visibilityEdit(mesh2, p2, p2.outputPorts[0]!, 'domain');
    expect(toDomain).toEqual({
      kind: 'setField',
      file: PROFILES_ODPS,
      path: ['outputPorts', 0, 'customProperties', 0, 'value'],
      value: 'domain',
    });
    const out2 = yaml(after(withOther, toDomain), PROFILES_ODPS);
    expect(out2.value).toMatchObject({
      outputPorts: [
        {
          customProperties: [
            { property: 'visibility', value: 'domain' },
            { property: 'tier', value: 'gold' },
          ],
        },
      ],
    });
    expectValid(odps, out2);
  });

  it('adds visibility to an existing customProperties list without touching its other entries', () => {
    const { product, port } = profiles();
    const files = after(daff.files, {
      kind: 'setField',
      file: PROFILES_ODPS,
      path: ['outputPorts', 0, 'customProperties'],
      value: [{ property: 'tier', value: 'gold' }],
    });
    const mesh = buildMesh(files).mesh;
    const p = mesh.products.find((x) => x.id === product.id)!;
    const edit = visibilityEdit(mesh, p, p.outputPorts[port.index]!, 'domain');
    expect(edit).toEqual({
      kind: 'setField',
      file: PROFILES_ODPS,
      path: ['outputPorts', 0, 'customProperties', 1],
      value: { property: 'visibility', value: 'domain' },
    });
  });
});
