// The loader site owners paste: one small classic script with no framework, built separately.
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    lib: {
      entry: 'src/loader/index.ts',
      formats: ['iife'],
      name: 'FrontlineLoader',
      fileName: () => 'loader.js',
    },
  },
});
