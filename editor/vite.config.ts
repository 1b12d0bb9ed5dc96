import react from '@vitejs/plugin-react';
import path from 'node:path';
import { defineConfig } from 'vite';
import { precompiledAjv } from './build/precompiled-ajv.ts';

const editorRoot = path.dirname(new URL(import.meta.url).pathname);

export default defineConfig({
  root: editorRoot,
  // No eval in the page (the server's CSP forbids it): Ajv validators arrive precompiled.
  plugins: [react(), precompiledAjv(path.dirname(editorRoot))],
  build: {
    outDir: path.join(editorRoot, 'dist'),
    emptyOutDir: true,
    sourcemap: true,
    // elkjs is one 1.4 MB file; it is loaded only when someone tidies a graph.
    chunkSizeWarningLimit: 1500,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:4310' } },
});
