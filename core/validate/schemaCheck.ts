import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { DiagnosticCode } from '../diagnostics/codes.ts';
import { locate, type YamlPath, type YamlSourceFile } from '../yaml/sourceFile.ts';

/*
 * Why @cfworker/json-schema and not Ajv: Ajv compiles schemas into JavaScript with
 * `new Function`, which the Electron renderer's CSP forbids (only 'wasm-unsafe-eval' is
 * allowed). This validator interprets the schema, so the same check runs in Node, the
 * browser and Electron.
 */

// Keywords that only say "something below failed"; the useful error is reported below them.
const WRAPPERS = new Set([
  'properties',
  'items',
  '$ref',
  'allOf',
  'if',
  'then',
  'else',
  'prefixItems',
  'false',
  'additionalItems',
  'dependentSchemas',
  'contains',
]);
const ALTERNATIVES = new Set(['anyOf', 'oneOf']);

const validators = new WeakMap<object, Validator>();

function validatorFor(schema: object): Validator {
  let validator = validators.get(schema);
  if (!validator) {
    validator = new Validator(schema as Schema, '2019-09', false);
    validators.set(schema, validator);
  }
  return validator;
}

// Results by schema and file; a YamlSourceFile is immutable, so its identity is a safe key.
const results = new WeakMap<object, WeakMap<YamlSourceFile, Diagnostic[]>>();

export function checkSchema(file: YamlSourceFile, schema: object, standard: string): Diagnostic[] {
  let bySchema = results.get(schema);
  if (!bySchema) results.set(schema, (bySchema = new WeakMap()));
  const cached = bySchema.get(file);
  if (cached) return cached;
  const diagnostics = checkSchemaUncached(file, schema, standard);
  bySchema.set(file, diagnostics);
  return diagnostics;
}

function checkSchemaUncached(file: YamlSourceFile, schema: object, standard: string): Diagnostic[] {
  if (file.value === undefined || file.value === null || typeof file.value !== 'object') return [];
  let errors: OutputUnit[];
  try {
    errors = validatorFor(schema).validate(file.value).errors;
  } catch (error) {
    return [
      diagnostic('QUANTA_E013', { file: file.path, line: 1, column: 1 }, `cannot check ${file.path} against ${standard}: ${String(error)}`),
    ];
  }
  const alternatives = errors.filter((e) => ALTERNATIVES.has(e.keyword));
  const isInsideAlternative = (e: OutputUnit): boolean =>
    alternatives.some((a) => a !== e && e.keywordLocation.startsWith(`${a.keywordLocation}/`));

  const found: Mapped[] = [];
  for (const error of errors) {
    if (WRAPPERS.has(error.keyword) || isInsideAlternative(error)) continue;
    const path = pointerToPath(error.instanceLocation);
    const mapped = describe(error, path, standard, valueAt(file.value, path));
    if (mapped) found.push(mapped);
  }
  // A problem inside a field makes unevaluatedProperties call the field itself unknown too
  // ("unknown field properties" for a bad logicalType inside it): only the real one is kept.
  // A field that really is unknown has nothing reported inside it (the schema skips it).
  const isEcho = (m: Mapped): boolean =>
    m.code === 'QUANTA_W014' &&
    found.some(
      (other) => other !== m && startsWith(other.path, m.path) && (other.code !== 'QUANTA_W014' || other.path.length > m.path.length),
    );
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const mapped of found) {
    if (isEcho(mapped)) continue;
    const at = locate(file, mapped.path, { key: mapped.atKey });
    const key = `${mapped.code}|${at.line}|${at.column}|${mapped.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(diagnostic(mapped.code, at, mapped.message));
  }
  return out;
}

function startsWith(path: YamlPath, prefix: YamlPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => String(segment) === String(path[i]));
}

interface Mapped {
  code: DiagnosticCode;
  message: string;
  path: YamlPath;
  atKey: boolean;
}

function valueAt(root: unknown, path: YamlPath): unknown {
  let value = root;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

function describe(error: OutputUnit, path: YamlPath, standard: string, value: unknown): Mapped | undefined {
  const where = path.length === 0 ? 'the document' : `"${formatPath(path)}"`;
  const quoted = /"([^"]*)"/.exec(error.error)?.[1];
  switch (error.keyword) {
    case 'required':
      return { code: 'QUANTA_E010', message: `${where} is missing the required field "${quoted ?? '?'}" (${standard})`, path, atKey: true };
    case 'type': {
      const expected = /Expected "([^"]*)"/.exec(error.error)?.[1] ?? '?';
      const found = quoted ?? '?';
      return {
        code: 'QUANTA_E011',
        message: `${where} must be ${article(expected)} ${expected}, found ${article(found)} ${found} (${standard})`,
        path,
        atKey: false,
      };
    }
    case 'enum':
    case 'const': {
      const allowed = /any of (\[.*\])/.exec(error.error)?.[1] ?? /"(.*)"/.exec(error.error)?.[1];
      const shown = value === undefined ? '' : ` is ${preview(value)}, which`;
      return {
        code: 'QUANTA_E012',
        message: `${where}${shown} is not allowed (${standard})${allowed ? `; allowed: ${allowed}` : ''}`,
        path,
        atKey: false,
      };
    }
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const field = quoted ?? '?';
      return {
        code: 'QUANTA_W014',
        message: `unknown field "${field}" in ${where} (not part of ${standard})`,
        path: [...path, field],
        atKey: true,
      };
    }
    case 'anyOf':
    case 'oneOf':
      return { code: 'QUANTA_E013', message: `${where} does not match any allowed form (${standard}): ${error.error}`, path, atKey: false };
    default:
      return { code: 'QUANTA_E013', message: `${where} is invalid (${standard}): ${error.error}`, path, atKey: false };
  }
}

/**
 * A value as a message shows it: JSON, cut short. Never throws — a value can be huge or
 * (were a recursive alias ever to get this far) circular, and a message must not crash the check.
 */
function preview(value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  if (json === undefined) return 'a value that cannot be shown';
  return json.length > 80 ? `${json.slice(0, 77)}…` : json;
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

export function pointerToPath(pointer: string): (string | number)[] {
  const body = pointer.replace(/^#/, '');
  if (body === '' || body === '/') return [];
  return body
    .slice(1)
    .split('/')
    .map((part) => decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

export function formatPath(path: YamlPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
