// One Vite build for the browser code: the customer app (index.html, served at /) and the admin
// console (admin/index.html, served at /admin/), sharing the API client and its error words.
// `npm run web:dev` serves both with hot reload on :5173 and proxies the API to :8000.
import { fileURLToPath } from 'node:url'
import tailwindcss from '@tailwindcss/vite'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'

const api = process.env.TESSERA_API ?? 'http://127.0.0.1:8000'

/** In development, the console's client routes (/admin/users/1/show) get its page, as the server does. */
const adminPages: Plugin = {
  name: 'tessera-admin-pages',
  configureServer(server) {
    server.middlewares.use((request, _response, next) => {
      const path = request.url?.split('?')[0] ?? ''
      if (/^\/admin(\/[^.]*)?$/.test(path) && request.headers.accept?.includes('text/html'))
        request.url = '/admin/index.html'
      next()
    })
  },
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), tailwindcss(), adminPages],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    reportCompressedSize: false,
    rolldownOptions: {
      input: {
        app: fileURLToPath(new URL('index.html', import.meta.url)),
        admin: fileURLToPath(new URL('admin/index.html', import.meta.url)),
      },
    },
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
