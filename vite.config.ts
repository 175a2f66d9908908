import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// The API listens on PORT (default 3000). In development Vite serves the web app and forwards
// API and health calls there, so the browser sees one origin and the session cookie just works.
const apiOrigin = 'http://127.0.0.1:3000';
const proxy = {
  '/api': { target: apiOrigin, changeOrigin: false },
  '/healthz': { target: apiOrigin, changeOrigin: false },
};

export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  plugins: [solid()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  server: { proxy },
  preview: { proxy },
});
