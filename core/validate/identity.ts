import { diagnostic, startOf, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { basename } from '../fs/meshFileSystem.ts';
import { asFields, asList } from '../model/read.ts';
import { firstUnsafeCharacter, idProblem } from '../model/ids.ts';
import type { Mesh } from '../model/types.ts';
import { locate, type YamlPath, type YamlSourceFile } from '../yaml/sourceFile.ts';

/**
 * Ids and shown names, checked once the model is built (`core/model/ids.ts` has the rules):
 * product ids and port names follow the id pattern, a product's id is its folder's name, and
 * names and titles shown to people carry no terminal or bidirectional control characters.
 * Ids of Quanta's own files (teams, personas, domains, policies, scenarios) are held to the
 * same pattern by their JSON Schemas.
 */
export function checkIdentity(mesh: Mesh): Diagnostic[] {
  const out: Diagnostic[] = [];
  const fileOf = (path: string): YamlSourceFile | undefined => {
    const file = mesh.files.get(path);
    return file && 'doc' in file ? file : undefined;
  };
  const at = (path: string, yamlPath: YamlPath): ReturnType<typeof startOf> => {
    const file = fileOf(path);
    return file ? locate(file, yamlPath) : startOf(path);
  };
  const id = (path: string, yamlPath: YamlPath, what: string, value: string): void => {
    const problem = idProblem(value);
    if (problem) out.push(diagnostic('QUANTA_E056', at(path, yamlPath), `${what} ${JSON.stringify(value)} is not a valid id: ${problem}`));
  };
  const shown = (path: string, yamlPath: YamlPath, what: string, value: unknown): void => {
    if (typeof value !== 'string') return;
    // A name is one line: a line break in it could forge a line of `quanta` output.
    const bad = firstUnsafeCharacter(value) ?? (/[\n\t]/.test(value.replace(/\n$/, '')) ? 'a line break or tab' : undefined);
    if (bad)
      out.push(
        diagnostic('QUANTA_E057', at(path, yamlPath), `${what} contains ${bad.startsWith('U+') ? `the control character ${bad}` : bad}`),
      );
  };

  const manifest = mesh.manifest && fileOf(mesh.manifest.file);
  if (manifest) {
    const raw = asFields(manifest.value);
    shown(manifest.path, ['name'], 'the mesh name', raw['name']);
    shown(manifest.path, ['title'], 'the mesh title', raw['title']);
    for (const list of ['teams', 'personas'] as const) {
      asList(raw[list]).forEach((item, index) => {
        shown(manifest.path, [list, index, 'name'], `the name of ${list.slice(0, -1)} ${index + 1}`, asFields(item)['name']);
      });
    }
  }
  for (const domain of mesh.domains)
    shown(domain.file, ['name'], `the name of domain ${domain.id}`, asFields(fileOf(domain.file)?.value)['name']);

  for (const product of mesh.products) {
    id(product.file, ['id'], 'product id', product.id);
    const folder = basename(product.dir);
    if (product.id !== folder && idProblem(product.id) === undefined) {
      out.push(
        diagnostic(
          'QUANTA_E026',
          at(product.file, ['id']),
          `product id "${product.id}" does not match its folder "${folder}"`,
          'A product’s id names its folder (domains/<domain>/<product-id>/): rename the folder or fix the id.',
        ),
      );
    }
    const raw = asFields(fileOf(product.file)?.value);
    shown(product.file, ['name'], `the name of product ${product.id}`, raw['name']);
    for (const port of product.inputPorts) id(product.file, ['inputPorts', port.index, 'name'], 'input port name', port.name);
    for (const port of product.outputPorts) {
      id(product.file, ['outputPorts', port.index, 'name'], 'output port name', port.name);
      if (port.contract) shown(port.contract.file, ['name'], `the name of contract ${port.contract.id}`, port.contract.name);
    }
  }
  for (const policy of mesh.policies)
    shown(policy.file, ['title'], `the title of policy ${policy.id}`, asFields(fileOf(policy.file)?.value)['title']);
  for (const scenario of mesh.scenarios) shown(scenario.file, ['title'], `the title of scenario ${scenario.id}`, scenario.title);
  return out;
}
