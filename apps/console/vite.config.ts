import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// `base: './'` makes every asset URL relative to index.html, so the same build can be served under any
// path (console-api's /console/, an nginx location, a file server root). Routing is hash-based for the
// same reason: no server-side SPA fallback is needed and deep links never change the asset base.
export default defineConfig({
  base: './',
  plugins: [react()],
  // One bundle (React, Mantine, zod and the shared schemas, ~210 kB gzipped), loaded once per admin
  // session and cached: splitting it would only add requests.
  build: { outDir: 'dist', sourcemap: true, emptyOutDir: true, chunkSizeWarningLimit: 1024 },
  server: {
    // `pnpm dev`: the dev server forwards /api to a console-api running on its default port.
    proxy: { '/api': process.env.CONSOLE_API_URL ?? 'http://127.0.0.1:7844' },
  },
})
