// The widget frame: a Preact app served by Frontline under /widget/ and shown in an iframe.
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [preact()],
  base: '/widget/',
  resolve: { conditions: ['source', 'module', 'browser', 'import', 'default'] },
  build: { outDir: 'dist', emptyOutDir: true, rollupOptions: { input: 'frame.html' } },
});
