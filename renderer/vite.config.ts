import { defineConfig } from 'vite';

// Vite replaces import.meta.dirname with this file's folder when it bundles the config, so the
// build does not depend on the directory `vite` is started from (and needs no node:path here).
const rendererDir = import.meta.dirname;
const repoDir = `${rendererDir}/..`;

export default defineConfig({
  root: rendererDir,
  // Relative asset URLs: the same build works from any static server path and from app://quanta/.
  base: './',
  publicDir: `${rendererDir}/public`,
  build: {
    outDir: `${repoDir}/dist/web`,
    emptyOutDir: true,
    // Electron 45 ships Chromium 140; the web version targets current browsers only.
    target: 'es2023',
    // The sample files are loaded on demand as many tiny modules; group them per sample so the
    // build holds one chunk per sample instead of one per file.
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [{ debugName: 'sample-meshes', name: (id: string) => sampleChunkName(id) }],
        },
      },
    },
  },
  server: {
    // The start screen imports sample-meshes/ from outside the renderer folder.
    fs: { allow: [repoDir] },
  },
});

function sampleChunkName(id: string): string | null {
  const match = /[\\/]sample-meshes[\\/]([^\\/]+)[\\/]/.exec(id);
  return match ? `sample-${match[1]}` : null;
}
