import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The agent desktop: `npm run build:web` writes web/dist, which the service then serves. */
const root = fileURLToPath(new URL('.', import.meta.url));
const backend = process.env.HOTLINE_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 800 },
  // `npx vite --config web/vite.config.ts` during development: API and socket.io go to the service.
  server: {
    proxy: {
      '/api': backend,
      '/socket.io': { target: backend, ws: true },
    },
  },
});
