import { defineConfig } from 'vite';

// The server (watchparty serve) serves web/dist; `npm run dev` (and `vite preview`)
// proxy the API to a server at WP_API (default http://127.0.0.1:8000).
const api = process.env.WP_API || 'http://127.0.0.1:8000';
export default defineConfig({
  build: {
    target: 'es2020',
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 1000,
  },
  server: {
    proxy: {
      '/api': api,
      '/ws': { target: api.replace(/^http/, 'ws'), ws: true },
    },
  },
});
