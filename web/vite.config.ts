// One Vite build for the browser code: the customer app (index.html, served at /) and, later, the
// admin console. `npm run web:dev` serves it with hot reload on :5173 and proxies the API to :8000.
import { fileURLToPath } from 'node:url'
import tailwindcss from '@tailwindcss/vite'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const api = process.env.TESSERA_API ?? 'http://127.0.0.1:8000'

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), tailwindcss()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      // The API refuses unsafe requests from origins it does not trust: through the proxy the
      // browser's origin is the dev server's, so the proxy presents the API's own Host and Origin.
      '/api': {
        target: api,
        changeOrigin: true,
        configure: (proxy) =>
          proxy.on('proxyReq', (request) => {
            if (request.getHeader('origin')) request.setHeader('origin', api)
          }),
      },
      '/health': api,
    },
  },
})
