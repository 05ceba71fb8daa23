// The operator workspace: built to web/dist and served by Frontline at /. In development
// (`npm run dev -w web`) the API, sockets, files and widget come from a running server.
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

const server = process.env.FRONTLINE_URL ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [react()],
  base: '/',
  // 'source' first: @frontline/protocol is bundled from its TypeScript, no protocol build needed.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    proxy: {
      '/api': server,
      '/files': server,
      '/widget': server,
      '/socket.io': { target: server, ws: true },
    },
  },
});
