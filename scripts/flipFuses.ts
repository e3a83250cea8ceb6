// `npm run fuses -- <packaged binary or Quanta.app>`: flips Quanta's Electron fuses
// (electron/fuses.ts) on a packaged app and checks they took. Packagers can call
// applyQuantaFuses from their after-pack hook instead.
import { applyQuantaFuses, readFuses } from '../electron/fuses.ts';

const binary = process.argv[2];
if (binary === undefined || binary.startsWith('-')) {
  process.stderr.write('usage: npm run fuses -- <path to the packaged Quanta binary, or Quanta.app on macOS>\n');
  process.exit(2);
}
try {
  await applyQuantaFuses(binary);
  const fuses = await readFuses(binary);
  process.stdout.write(
    `Fuses of ${binary}:\n${Object.entries(fuses)
      .map(([name, state]) => `  ${name}: ${state}`)
      .join('\n')}\n`,
  );
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
