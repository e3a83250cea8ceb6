import { compileContractChecks } from '../contracts/contractChecks.ts';
import { diagnostic, startOf, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { basename, joinPath, resolveInMesh } from '../fs/meshFileSystem.ts';
import { asFields, asList, asNumber, asString, asText, defined } from '../model/read.ts';
import type {
  Archetype,
  Contract,
  DataProduct,
  Generator,
  GeneratorColumn,
  InputPort,
  MeshFiles,
  OutputPort,
  QuantumSettings,
  Source,
} from '../model/types.ts';
import { contractFromDocument } from '../model/contractDocument.ts';
import { quantaSettingsSchema } from '../schemas/quantaSchemas.ts';
import { ODCS_SCHEMA, ODPS_SCHEMA } from '../standards/schemas.ts';
import { checkSchema } from '../validate/schemaCheck.ts';
import { locate, type YamlSourceFile } from '../yaml/sourceFile.ts';
import { checkDurations } from './durations.ts';
import { CONTRACT_SUFFIX, PRODUCT_FILE, SETTINGS_FILE, TRANSFORM_FILE } from './readMeshFiles.ts';

export function yamlFile(files: MeshFiles, path: string): YamlSourceFile | undefined {
  const file = files.get(path);
  return file && 'doc' in file ? file : undefined;
}

/** Builds one data product from its folder's files; undefined when product.odps.yaml is unusable. */
/** `filesInDir`: names of the files directly in `dir` (precomputed, so building N products stays linear). */
export function buildProduct(
  files: MeshFiles,
  dir: string,
  filesInDir: readonly string[],
  domainId: string,
  out: Diagnostic[],
): DataProduct | undefined {
  const file = yamlFile(files, joinPath(dir, PRODUCT_FILE));
  if (!file || file.value === undefined || file.diagnostics.length > 0) return undefined;
  out.push(...checkSchema(file, ODPS_SCHEMA, 'ODPS v1.0.0'));
  const odps = asFields(file.value);
  const id = asString(odps['id']);
  if (id === undefined) return undefined;

  const declaredDomain = asString(odps['domain']);
  if (declaredDomain !== undefined && declaredDomain !== domainId) {
    out.push(
      diagnostic(
        'QUANTA_E026',
        locate(file, ['domain']),
        `product ${id} says domain "${declaredDomain}" but sits in the folder of domain "${domainId}"`,
      ),
    );
  }

  const inputPorts: InputPort[] = [];
  asList(odps['inputPorts']).forEach((raw, index) => {
    const port = asFields(raw);
    const name = asString(port['name']);
    const contractId = asString(port['contractId']);
    const version = asText(port['version']);
    if (name === undefined || contractId === undefined || version === undefined) return; // schema check reported it
    if (inputPorts.some((p) => p.name === name)) {
      out.push(diagnostic('QUANTA_E033', locate(file, ['inputPorts', index, 'name']), `product ${id} has two input ports named "${name}"`));
      return;
    }
    inputPorts.push({ name, contractId, version, index });
  });

  const outputPorts: OutputPort[] = [];
  asList(odps['outputPorts']).forEach((raw, index) => {
    const port = asFields(raw);
    const name = asString(port['name']);
    const version = asText(port['version']);
    if (name === undefined || version === undefined) return;
    if (outputPorts.some((p) => p.name === name)) {
      out.push(
        diagnostic('QUANTA_E033', locate(file, ['outputPorts', index, 'name']), `product ${id} has two output ports named "${name}"`),
      );
      return;
    }
    const contractId = asString(port['contractId']);
    const contract = buildContract(files, joinPath(dir, `${name}${CONTRACT_SUFFIX}`), out);
    if (!files.has(joinPath(dir, `${name}${CONTRACT_SUFFIX}`))) {
      out.push(
        diagnostic(
          'QUANTA_E027',
          locate(file, ['outputPorts', index, 'name']),
          `output port "${name}" of ${id} has no contract file ${name}${CONTRACT_SUFFIX}`,
        ),
      );
    }
    if (contract && contractId !== undefined && contract.id !== contractId) {
      out.push(
        diagnostic(
          'QUANTA_E028',
          locate(file, ['outputPorts', index, 'contractId']),
          `output port "${name}" names contract "${contractId}" but ${basename(contract.file)} has id "${contract.id}"`,
        ),
      );
    }
    if (contract && contract.version !== version) {
      out.push(
        diagnostic(
          'QUANTA_E028',
          locate(file, ['outputPorts', index, 'version']),
          `output port "${name}" has version ${version} but its contract has version ${contract.version}`,
        ),
      );
    }
    outputPorts.push(
      defined({ name, version, index, contractId: contractId ?? contract?.id, contract, description: asString(port['description']) }),
    );
  });

  for (const name of filesInDir) {
    if (!name.endsWith(CONTRACT_SUFFIX)) continue;
    const portName = name.slice(0, -CONTRACT_SUFFIX.length);
    if (!outputPorts.some((p) => p.name === portName)) {
      out.push(diagnostic('QUANTA_W036', startOf(joinPath(dir, name)), `${name} belongs to no output port of ${id}`));
    }
  }

  const settings = buildSettings(files, dir, id, out);
  const transform = files.get(joinPath(dir, TRANSFORM_FILE));
  const transformFile = transform && !('doc' in transform) ? transform : undefined;
  if (!transformFile && inputPorts.length > 0) {
    out.push(
      diagnostic(
        'QUANTA_E029',
        startOf(joinPath(dir, TRANSFORM_FILE)),
        `product ${id} consumes input ports but has no ${TRANSFORM_FILE} to transform them`,
      ),
    );
  }
  if (settings && settings.archetype !== 'source-aligned' && odps['inputPorts'] === undefined && settings.sources.length === 0) {
    out.push(diagnostic('QUANTA_W038', locate(file, ['id']), `${settings.archetype} product ${id} has no input ports and no sources`));
  }

  const description = asFields(odps['description']);
  return defined({
    id,
    name: asString(odps['name']) ?? id,
    domain: domainId,
    status: asString(odps['status']) ?? 'draft',
    version: asText(odps['version']),
    purpose: asString(description['purpose']),
    team: asString(asFields(odps['team'])['name']),
    dir,
    file: file.path,
    inputPorts,
    outputPorts,
    settings,
    transform: transformFile,
  });
}

export function buildContract(files: MeshFiles, path: string, out: Diagnostic[]): Contract | undefined {
  const file = yamlFile(files, path);
  if (!file || file.value === undefined || file.diagnostics.length > 0) return undefined;
  out.push(...checkSchema(file, ODCS_SCHEMA, 'ODCS v3.1.0'));
  const contract = contractFromDocument(file.path, file.value);
  // A rule no publish will check is a promise nobody keeps: say so where it is written.
  for (const rule of contract ? compileContractChecks(contract).skipped : []) {
    if (!rule.byDesign) out.push(diagnostic('QUANTA_W060', locate(file, rule.path), `not enforced at publish: ${rule.reason}`));
  }
  return contract;
}

function buildSettings(files: MeshFiles, dir: string, productId: string, out: Diagnostic[]): QuantumSettings | undefined {
  const path = joinPath(dir, SETTINGS_FILE);
  const file = yamlFile(files, path);
  if (!file) {
    if (!files.has(path))
      out.push(diagnostic('QUANTA_E029', startOf(path), `product ${productId} has no ${SETTINGS_FILE} (it declares the archetype)`));
    return undefined;
  }
  if (file.value === undefined || file.diagnostics.length > 0) return undefined;
  out.push(...checkSchema(file, quantaSettingsSchema, 'Quanta quanta.yaml'), ...checkDurations(file));
  const raw = asFields(file.value);
  const archetype = asString(raw['archetype']);
  if (archetype !== 'source-aligned' && archetype !== 'aggregate' && archetype !== 'consumer-aligned') return undefined;

  const sources: Source[] = [];
  asList(raw['sources']).forEach((rawSource, index) => {
    const source = asFields(rawSource);
    const name = asString(source['name']);
    if (name === undefined) return;
    if (sources.some((s) => s.name === name)) {
      out.push(diagnostic('QUANTA_E033', locate(file, ['sources', index, 'name']), `product ${productId} has two sources named "${name}"`));
      return;
    }
    const relative = asString(source['file']);
    const resolvedFile = relative === undefined ? undefined : resolveInMesh(dir, relative);
    if (relative !== undefined && resolvedFile === undefined) {
      out.push(
        diagnostic(
          'QUANTA_E031',
          locate(file, ['sources', index, 'file']),
          `seed file "${relative}" of ${productId} is outside the mesh folder`,
        ),
      );
    }
    const format = toFormat(asString(source['format']) ?? (relative ? formatFromExtension(relative) : undefined));
    sources.push(
      defined({
        name,
        index,
        description: asString(source['description']),
        file: relative,
        resolvedFile,
        format,
        generator: buildGenerator(source['generator']),
      }),
    );
  });
  const schedule = asFields(raw['schedule']);
  const simulation = asFields(raw['simulation']);
  return {
    file: path,
    archetype: archetype satisfies Archetype,
    sources,
    schedule: defined({ every: asString(schedule['every']), onUpstreamPublish: schedule['onUpstreamPublish'] !== false }),
    simulation: defined({
      memoryLimit: asString(simulation['memoryLimit']),
      timeout: asString(simulation['timeout']),
      latency: asString(simulation['latency']),
    }),
  };
}

function toFormat(format: string | undefined): Source['format'] {
  return format === 'csv' || format === 'jsonl' || format === 'parquet' ? format : undefined;
}

function formatFromExtension(path: string): string | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.parquet')) return 'parquet';
  return undefined;
}

function buildGenerator(value: unknown): Generator | undefined {
  if (value === undefined) return undefined;
  const raw = asFields(value);
  const rows = asNumber(raw['rows']);
  const seed = asNumber(raw['seed']);
  if (rows === undefined || seed === undefined) return undefined;
  const columns = asList(raw['columns'])
    .map((c) => asFields(c))
    .filter((c) => typeof c['name'] === 'string' && typeof c['type'] === 'string')
    .map((c) => c as unknown as GeneratorColumn);
  return defined({ rows, seed, rowsPerTick: asNumber(raw['rowsPerTick']), columns });
}
