import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../../diagnostics/diagnostic.ts';
import { loadMesh, type LoadedMesh } from '../../load/loadMesh.ts';
import { displayPath, plural } from '../cliText.ts';
import { NodeFileSystem } from '../nodeFileSystem.ts';
import { UsageError, type CliIo } from './command.ts';

/** A mesh folder opened once for a whole command: the loaded mesh and the file system a run reads its data through. */
export interface OpenedMesh {
  /** The folder, absolute. */
  readonly dir: string;
  readonly fs: NodeFileSystem;
  readonly loaded: LoadedMesh;
  /** mesh.yaml's name, or the folder's. */
  readonly name: string;
  /** A mesh file as the user should see it, relative to where they ran the command. */
  readonly shown: (file: string) => string;
  readonly errors: readonly Diagnostic[];
}

/**
 * Resolves `dirArg` against where the command was run, checks it is a folder and loads the
 * mesh in it. No folder given, or not a folder, is a wrong command line; `flag` names the
 * option that gave it (`--against`).
 */
export async function openMesh(io: CliIo, dirArg: string | undefined, flag?: string): Promise<OpenedMesh> {
  if (dirArg === undefined) throw new UsageError('give the mesh folder, e.g. sample-meshes/hello-mesh');
  const dir = nodePath.resolve(io.cwd, dirArg);
  const stats = await fsp.stat(dir).catch(() => undefined);
  if (!stats?.isDirectory()) throw new UsageError(`${flag === undefined ? '' : `${flag} `}"${dirArg}" is not a folder`);
  const fs = new NodeFileSystem(dir);
  const loaded = await loadMesh(fs);
  return {
    dir,
    fs,
    loaded,
    name: loaded.mesh.manifest?.name ?? nodePath.basename(dir),
    shown: (file) => displayPath(io.cwd, dir, file),
    errors: loaded.diagnostics.filter((d) => d.severity === 'error'),
  };
}

/** Opens the mesh for running; a mesh with errors is not run: its errors go to stderr and the answer is undefined. */
export async function openRunnableMesh(io: CliIo, dirArg: string | undefined): Promise<OpenedMesh | undefined> {
  const opened = await openMesh(io, dirArg);
  if (opened.errors.length === 0) return opened;
  for (const d of opened.errors) io.err(`${formatDiagnostic({ ...d, file: opened.shown(d.file) })}\n    hint: ${d.hint}\n`);
  io.err(`✗ ${plural(opened.errors.length, 'error')} in this mesh; fix them before running it (quanta validate lists them too)\n`);
  return undefined;
}
