import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MeshSession, type SaveResult, type SaveSeams } from '../../electron/meshSession.ts';
import { tempDir } from '../helpers.ts';

/*
 * Another program edits a file while Quanta saves it. Whatever the moment, its edit is never
 * lost without a word: it is on disk at the file's name, or kept beside it and reported.
 * First at each seam of the save (where a race lands: after the check, after the old files
 * were moved aside, after the new ones were placed), then by a writer racing a save on the
 * thread pool with no seam at all.
 */
const FILES = ['domains/race/domain.yaml', 'domains/race/p/product.odps.yaml', 'policies/race.policy.yaml'];
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const sessions: MeshSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.unwatch();
});

type Seam = keyof SaveSeams;
type Style = 'in place' | 'replace' | 'delete' | 'held open';

async function raceMesh(seams?: SaveSeams): Promise<{ dir: string; session: MeshSession }> {
  const dir = await tempDir('save-race');
  await fsp.writeFile(nodePath.join(dir, 'mesh.yaml'), 'name: race\n');
  for (const path of FILES) {
    await fsp.mkdir(nodePath.dirname(nodePath.join(dir, path)), { recursive: true });
    await fsp.writeFile(nodePath.join(dir, path), `# ${path} as first written\n`);
  }
  const session = await MeshSession.open(dir, seams ? { seams } : {});
  sessions.push(session);
  await session.readAll();
  return { dir, session };
}

/** An editor's save: write beside the file, then rename over it (what most editors do). */
async function replaceFile(target: string, content: string): Promise<void> {
  const temp = nodePath.join(nodePath.dirname(target), `.editor-${nodePath.basename(target)}.swp`);
  await fsp.writeFile(temp, content);
  await fsp.rename(temp, target);
}

/** Where an external edit can be found after the save: at its name, or in a file the save said it kept. */
async function findEdit(dir: string, path: string, edit: string | null, result: SaveResult): Promise<boolean> {
  const onDisk = await fsp.readFile(nodePath.join(dir, path), 'utf8').catch(() => null);
  if (onDisk === edit) return true;
  const kept = result.ok ? [] : (result.preserved ?? []);
  for (const file of kept) if ((await fsp.readFile(nodePath.join(dir, file), 'utf8')) === edit) return true;
  return false;
}

async function hidden(dir: string, prefix = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await fsp.readdir(nodePath.join(dir, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.name.startsWith('.')) found.push(path);
    else if (entry.isDirectory()) found.push(...(await hidden(dir, path)));
  }
  return found;
}

describe('an external edit racing a save', () => {
  it('is never lost at any seam of the save, in 480 forced races: reported as a conflict, the save undone whole', async () => {
    let inject: Partial<Record<Seam, () => Promise<void>>> = {};
    const { dir, session } = await raceMesh({
      afterCheck: () => inject.afterCheck?.(),
      afterClaim: () => inject.afterClaim?.(),
      afterPlace: () => inject.afterPlace?.(),
    });
    const cases: [Seam, Style][] = [
      ['afterCheck', 'in place'],
      ['afterCheck', 'replace'],
      ['afterCheck', 'delete'],
      ['afterClaim', 'replace'],
      ['afterClaim', 'in place'],
      ['afterPlace', 'held open'],
      ['afterPlace', 'in place'],
      ['afterPlace', 'replace'],
    ];
    const lost: string[] = [];
    const silent: string[] = [];
    const torn: string[] = [];
    for (let attempt = 0; attempt < 480; attempt++) {
      const [seam, style] = cases[attempt % cases.length] as [Seam, Style];
      const path = FILES[Math.floor(attempt / cases.length) % FILES.length] as string;
      const target = nodePath.join(dir, path);
      const edit = style === 'delete' ? null : `# external edit ${attempt} (${style} ${seam})\n`;
      const before = await Promise.all(FILES.map((f) => fsp.readFile(nodePath.join(dir, f), 'utf8').catch(() => null)));
      let held: fsp.FileHandle | undefined;
      inject = {};
      if (style === 'held open') {
        // An editor that opened the file before Quanta moved it aside, and writes into it after.
        inject.afterCheck = async () => void (held = await fsp.open(target, 'r+'));
        inject.afterPlace = async () => {
          await held?.truncate(0);
          await held?.write(edit ?? '', 0);
          await held?.close();
        };
      } else {
        inject[seam] = async () => {
          if (style === 'in place') await fsp.writeFile(target, edit ?? '');
          else if (style === 'replace') await replaceFile(target, edit ?? '');
          else await fsp.rm(target);
        };
      }
      const result = await session.save(FILES.map((f) => ({ path: f, content: text(`# saved by Quanta, attempt ${attempt}\n`) })));
      inject = {};
      if (!(await findEdit(dir, path, edit, result))) lost.push(`${attempt}: ${style} ${seam}`);
      // An edit that lands before the new file is in place must be reported, and the save undone whole.
      const landedBefore = seam !== 'afterPlace' || style === 'held open';
      if (landedBefore) {
        if (result.ok || !result.conflicts.includes(path)) silent.push(`${attempt}: ${style} ${seam}`);
        const after = await Promise.all(FILES.map((f) => fsp.readFile(nodePath.join(dir, f), 'utf8').catch(() => null)));
        if (after.some((content, i) => FILES[i] !== path && content !== before[i])) torn.push(`${attempt}: ${style} ${seam}`);
      }
      if (style === 'delete') await fsp.writeFile(target, `# recreated after attempt ${attempt}\n`);
      await session.readAll();
    }
    expect({ lost, silent, torn }).toEqual({ lost: [], silent: [], torn: [] });
    expect(await hidden(dir)).toEqual([]);
  });

  it('is never lost when a writer races the save on the thread pool, in 400 saves with no seam', async () => {
    const { dir, session } = await raceMesh();
    const lost: string[] = [];
    let conflicts = 0;
    let saveMs = 2;
    for (let attempt = 0; attempt < 400; attempt++) {
      const path = FILES[attempt % FILES.length] as string;
      const edit = `# racing edit ${attempt}\n`;
      // Spread the edit over the whole length of a save: 0 .. 1.5 × the last save's duration.
      const delay = ((attempt * 7919) % 100) / 100;
      const writer = (async () => {
        await new Promise((resolve) => setTimeout(resolve, delay * saveMs * 1.5));
        if (attempt % 2 === 0) await fsp.writeFile(nodePath.join(dir, path), edit);
        else await replaceFile(nodePath.join(dir, path), edit);
      })();
      const started = performance.now();
      const result = await session.save(FILES.map((f) => ({ path: f, content: text(`# saved ${attempt}\n`) })));
      saveMs = Math.max(1, performance.now() - started);
      await writer;
      if (!result.ok) conflicts++;
      if (!(await findEdit(dir, path, edit, result))) lost.push(String(attempt));
      await session.readAll();
    }
    expect(lost).toEqual([]);
    // The races were real: some edits landed inside the save and were caught.
    expect(conflicts).toBeGreaterThan(0);
    expect((await hidden(dir)).filter((f) => !f.includes('.editor-'))).toEqual([]);
  });
});
