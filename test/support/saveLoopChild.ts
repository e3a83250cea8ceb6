/**
 * The child of the kill -9 test (test/integration/saveCrash.test.ts): opens a mesh through
 * the real MeshSession (so it also runs recovery) and saves version N into every file of
 * SAVE_LOOP_FILES, N = start, start + 1, … until the parent kills it. It prints `ready`,
 * then `start N` before and `done N` after each save; stdout to a pipe is synchronous on
 * Linux and macOS, so a line the parent reads was printed before the kill.
 * Usage: node <bundle of this file> <mesh folder> <first version>
 */
import { MeshSession } from '../../electron/meshSession.ts';
import { saveLoopContent, SAVE_LOOP_FILES } from './saveLoopFiles.ts';

async function main(): Promise<void> {
  const [folder, first] = process.argv.slice(2);
  if (folder === undefined || first === undefined) throw new Error('usage: saveLoopChild <mesh folder> <first version>');
  const session = await MeshSession.open(folder);
  await session.readAll();
  process.stdout.write('ready\n');
  for (let version = Number(first); ; version++) {
    process.stdout.write(`start ${version}\n`);
    const result = await session.save(SAVE_LOOP_FILES.map((path) => ({ path, content: saveLoopContent(path, version) })));
    if (!result.ok) {
      process.stdout.write(`conflict ${result.conflicts.join(',')}\n`);
      process.exit(2);
    }
    process.stdout.write(`done ${version}\n`);
  }
}

// A function, not top-level await: the test bundles this file as CommonJS (the yaml package inside requires).
void main();
