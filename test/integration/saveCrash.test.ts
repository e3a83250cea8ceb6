import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { MeshSession } from '../../electron/meshSession.ts';
import { REPO, tempDir } from '../helpers.ts';
import { SAVE_LOOP_FILES, saveLoopVersion } from '../support/saveLoopFiles.ts';

/*
 * kill -9 in the middle of multi-file saves, 210 times: after each kill the mesh is opened
 * (which recovers) and must hold all files at one version, whole, a version that was saved
 * or being saved, and no temp or journal file. The child is bundled once with esbuild so a
 * spawn costs a plain `node` start instead of tsx's (~40 s for the whole test on a loaded 2-core machine).
 */
const KILLS = 210;

let child: string;
beforeAll(async () => {
  const out = await tempDir('save-child');
  child = nodePath.join(out, 'saveLoopChild.cjs');
  await build({
    entryPoints: [nodePath.join(REPO, 'test/support/saveLoopChild.ts')],
    outfile: child,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
  });
});

/** mulberry32: the kill moments are random but the same on every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs the child until `ready`, lets it save for `delayMs`, kills it with SIGKILL; returns what it printed. */
function runAndKill(mesh: string, first: number, delayMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, mesh, String(first)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let armed = false;
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (!armed && out.includes('ready\n')) {
        armed = true;
        setTimeout(() => proc.kill('SIGKILL'), delayMs);
      }
    });
    proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    proc.on('error', reject);
    proc.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`the save loop ended by itself (${String(_code)}): ${out} ${err}`));
      else resolve(out.split('\n').filter(Boolean));
    });
  });
}

async function hiddenLeftovers(dir: string, prefix = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await fsp.readdir(nodePath.join(dir, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.name.startsWith('.') || entry.name.includes('.conflict-') || entry.name.endsWith('.tmp')) found.push(path);
    else if (entry.isDirectory()) found.push(...(await hiddenLeftovers(dir, path)));
  }
  return found;
}

describe('multi-file saves killed with SIGKILL', () => {
  it(`leave all old or all new files after ${KILLS} kills: 0 torn, 0 corrupt, 0 lost, 0 leftovers`, { timeout: 180_000 }, async () => {
    const mesh = await tempDir('save-kill');
    await fsp.writeFile(nodePath.join(mesh, 'mesh.yaml'), 'apiVersion: quanta/v1\nkind: Mesh\nname: kill-test\n');
    const random = seeded(20261122);
    const problems: string[] = [];
    const recoveries = { forward: 0, back: 0, clean: 0 };
    let saved = 0; // the version on disk: 0 = the files do not exist yet
    let next = 1;
    for (let kill = 0; kill < KILLS; kill++) {
      const lines = await runAndKill(mesh, next, Math.floor(random() * 40));
      const started = lines.filter((l) => l.startsWith('start ')).map((l) => Number(l.slice(6)));
      const done = lines.filter((l) => l.startsWith('done ')).map((l) => Number(l.slice(5)));
      const session = await MeshSession.open(mesh);
      const { completedSave, removed, preserved, kept } = session.recovery;
      if (completedSave) recoveries.forward++;
      else if (removed.length > 0) recoveries.back++;
      else recoveries.clean++;
      if (preserved.length + kept.length > 0)
        problems.push(`kill ${kill}: recovery kept or preserved ${[...preserved, ...kept].join(', ')}`);

      const versions = await Promise.all(
        SAVE_LOOP_FILES.map(async (path) => {
          const bytes = await fsp.readFile(nodePath.join(mesh, path)).catch(() => undefined);
          return bytes === undefined ? 0 : (saveLoopVersion(path, new Uint8Array(bytes)) ?? -1);
        }),
      );
      const [version = -1] = versions;
      const lastDone = done.length > 0 ? Math.max(...done) : saved;
      const lastStarted = started.length > 0 ? Math.max(...started) : saved;
      if (versions.includes(-1)) problems.push(`kill ${kill}: a corrupt file (${versions.join(', ')})`);
      else if (versions.some((v) => v !== version)) problems.push(`kill ${kill}: torn save, versions ${versions.join(', ')}`);
      else if (version !== lastDone && version !== lastStarted) {
        problems.push(
          `kill ${kill}: version ${version} on disk, but the last save done was ${lastDone} and the last started ${lastStarted}`,
        );
      }
      const leftovers = await hiddenLeftovers(mesh);
      if (leftovers.length > 0) problems.push(`kill ${kill}: left over ${leftovers.join(', ')}`);
      saved = version;
      next = Math.max(lastStarted, saved) + 1;
    }
    expect(problems).toEqual([]);
    // The kills really landed inside saves, on both sides of the journal.
    expect(recoveries.forward).toBeGreaterThan(0);
    expect(recoveries.back).toBeGreaterThan(0);
    expect(saved).toBeGreaterThan(KILLS / 4);
  });
});
