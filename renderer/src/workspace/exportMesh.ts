import { zipMesh } from '../../../core/fs/zipMesh.ts';
import { downloadBytes } from '../platform/download.ts';
import { allFiles, type MeshDocument } from './meshDocument.ts';

/** The whole mesh as it is now (unsaved edits included) as a .zip download. */
export async function exportZip(doc: MeshDocument): Promise<void> {
  const files = allFiles(doc);
  const name = fileNameOf(doc.mesh.manifest?.name ?? doc.title);
  downloadBytes(zipMesh(files, name), `${name}.zip`, 'application/zip');
}

function fileNameOf(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'mesh';
}
