import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { REPO } from '../helpers.ts';

/**
 * A copy of daff in `dir` where one product is refused (artist-onboarding: a contract rule its
 * data breaks) and one fails (podcast-listeners: its transform reads a column that does not
 * exist), so its downstream goes stale. Returns the mesh folder.
 */
export async function troubledDaff(dir: string): Promise<string> {
  const mesh = nodePath.join(dir, 'daff');
  await fsp.cp(nodePath.join(REPO, 'sample-meshes', 'daff'), mesh, { recursive: true });
  const contract = nodePath.join(mesh, 'domains/artists/artist-onboarding/onboarded_artists.odcs.yaml');
  await fsp.writeFile(
    contract,
    (await fsp.readFile(contract, 'utf8')).replace('royalty_rate <= 0 OR royalty_rate > 1', 'royalty_rate <= 2'),
  );
  const transform = nodePath.join(mesh, 'domains/podcasts/podcast-listeners/transform.sql');
  await fsp.writeFile(transform, (await fsp.readFile(transform, 'utf8')).replace(/\bSELECT\b/, 'SELECT no_such_column,'));
  return mesh;
}
