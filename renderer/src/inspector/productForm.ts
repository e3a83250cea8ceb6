import type { Diagnostic } from '../../../core/diagnostics/diagnostic.ts';
import type { MeshEdit } from '../../../core/edits/meshEdits.ts';
import type { YamlPath, YamlSourceFile } from '../../../core/yaml/sourceFile.ts';
import { diagnosticsAt, valueAt } from './fileDiagnostics.ts';

/** The ODPS fields the Product tab edits; everything else in product.odps.yaml is kept as written. */
export interface ProductField {
  readonly key: string;
  readonly label: string;
  readonly path: YamlPath;
  readonly kind: 'text' | 'multiline' | 'status' | 'team' | 'tags';
  readonly help: string;
  /** ODPS requires it: clearing it is refused instead of deleting the field. */
  readonly required?: boolean;
}

export const PRODUCT_FIELDS: readonly ProductField[] = [
  { key: 'name', label: 'Name', path: ['name'], kind: 'text', help: 'Shown to people; the id stays the same.' },
  { key: 'status', label: 'Status', path: ['status'], kind: 'status', help: 'Where the product is in its life.', required: true },
  { key: 'version', label: 'Version', path: ['version'], kind: 'text', help: 'Semantic version, e.g. 1.2.0.' },
  { key: 'purpose', label: 'Purpose', path: ['description', 'purpose'], kind: 'multiline', help: 'What the data is for.' },
  { key: 'usage', label: 'Usage', path: ['description', 'usage'], kind: 'multiline', help: 'How consumers should use it.' },
  {
    key: 'limitations',
    label: 'Limitations',
    path: ['description', 'limitations'],
    kind: 'multiline',
    help: 'Technical, compliance and legal limits.',
  },
  { key: 'team', label: 'Team', path: ['team', 'name'], kind: 'team', help: 'The owning team, one of the mesh’s teams.' },
  { key: 'tags', label: 'Tags', path: ['tags'], kind: 'tags', help: 'Separated by commas.' },
];

/** ODPS lists these as examples; other words are allowed and kept. */
export const PRODUCT_STATUSES: readonly string[] = ['proposed', 'draft', 'active', 'deprecated', 'retired'];

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** The field's current value as the form shows it. */
export function fieldText(file: YamlSourceFile, field: ProductField): string {
  const value = valueAt(file.value, field.path);
  if (value === undefined || value === null) return '';
  if (field.kind === 'tags') return Array.isArray(value) ? value.map(String).join(', ') : String(value);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function parseTags(input: string): string[] {
  return input
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag.length > 0);
}

/** What is wrong with what the user typed, in plain words; undefined when it can be saved. */
export function fieldProblem(field: ProductField, input: string): string | undefined {
  const trimmed = input.trim();
  if (field.required && trimmed === '') return `${field.label} is required by ODPS.`;
  if (field.kind === 'text' && input !== '' && trimmed === '') return `${field.label} cannot be only spaces.`;
  if (field.key === 'version' && trimmed !== '' && !SEMVER.test(trimmed))
    return `“${trimmed}” is not a semantic version; write it as major.minor.patch, e.g. 1.0.0.`;
  if (field.kind === 'tags' && new Set(parseTags(input)).size !== parseTags(input).length) return 'A tag is listed twice.';
  return undefined;
}

/**
 * Why the field cannot be edited in the form as the file is written (e.g. `team: finance`, a
 * text where ODPS has a mapping): a field edit would have nowhere to go. Undefined when it can.
 */
export function structureProblem(file: YamlSourceFile, field: ProductField): string | undefined {
  for (let i = 1; i < field.path.length; i++) {
    const parent = valueAt(file.value, field.path.slice(0, i));
    if (parent !== undefined && (parent === null || typeof parent !== 'object' || Array.isArray(parent)))
      return `${field.path.slice(0, i).join('.')} is not a mapping in ${file.path}; edit it in the YAML view.`;
  }
  return undefined;
}

/**
 * The edit that stores `input` in the field; undefined when nothing changes or the input is
 * refused (see fieldProblem). An emptied optional field is deleted rather than kept as "".
 */
export function fieldEdit(file: YamlSourceFile, field: ProductField, input: string): MeshEdit | undefined {
  if (fieldProblem(field, input) !== undefined || structureProblem(file, field) !== undefined) return undefined;
  const current = valueAt(file.value, field.path);
  if (field.kind === 'tags') {
    const tags = parseTags(input);
    if (tags.length === 0) return current === undefined ? undefined : { kind: 'deleteField', file: file.path, path: field.path };
    if (Array.isArray(current) && current.length === tags.length && current.every((t, i) => String(t) === tags[i])) return undefined;
    return { kind: 'setField', file: file.path, path: field.path, value: tags };
  }
  const value = field.kind === 'multiline' ? input : input.trim();
  if (value === '') return current === undefined ? undefined : { kind: 'deleteField', file: file.path, path: field.path };
  if (typeof current === 'string' && current === value) return undefined;
  return { kind: 'setField', file: file.path, path: field.path, value };
}

/** Validator findings about this field (schema, references), to show under it. */
export function fieldDiagnostics(file: YamlSourceFile, field: ProductField, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnosticsAt(file, field.path, diagnostics);
}

/** Undo label and squash key: typing in one field is one undo step. */
export function fieldEditLabel(field: ProductField): string {
  return `Edit ${field.label.toLowerCase()}`;
}

export function fieldSquashKey(file: string, path: YamlPath): string {
  return `field:${file}:${path.join('.')}`;
}
