import { readdir } from 'node:fs/promises';
import nodePath from 'node:path';
import { exists, SAMPLES_DIR } from '../helpers.ts';

/**
 * What a sample holds, read straight from its folders rather than through the loader, so the
 * e2e tests check the app against the files and not against the code under test.
 */
export async function domainFolders(sample: string): Promise<string[]> {
  const domainsDir = nodePath.join(SAMPLES_DIR, sample, 'domains');
  const out: string[] = [];
  for (const name of await subfolders(domainsDir)) {
    if (await exists(nodePath.join(domainsDir, name, 'domain.yaml'))) out.push(name);
  }
  return out;
}

/** `<domain>/<product>` of every folder holding a product.odps.yaml. */
export async function productFolders(sample: string): Promise<string[]> {
  const domainsDir = nodePath.join(SAMPLES_DIR, sample, 'domains');
  const out: string[] = [];
  for (const domain of await subfolders(domainsDir)) {
    for (const product of await subfolders(nodePath.join(domainsDir, domain))) {
      if (await exists(nodePath.join(domainsDir, domain, product, 'product.odps.yaml'))) out.push(`${domain}/${product}`);
    }
  }
  return out;
}

async function subfolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}
