/** Builds the console into dist/, served by the Steward server under /console/. */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The CSP allows no inline script: the preload polyfill would be one.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      '^/(auth|me|review|referrals|followups|reports|audit|break-glass|approval-policies)': 'http://127.0.0.1:8470',
    },
  },
});
