import react from '@vitejs/plugin-react';
import path from 'node:path';
import { defineConfig } from 'vite';

const editorRoot = path.dirname(new URL(import.meta.url).pathname);

export default defineConfig({
  root: editorRoot,
  plugins: [react()],
  build: { outDir: path.join(editorRoot, 'dist'), emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/api': 'http://127.0.0.1:4310' } },
});
