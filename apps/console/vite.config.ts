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
    // The budget is scripts/check-bundle.mjs (npm run check); this only makes Vite warn at the lazy-chunk limit.
    chunkSizeWarningLimit: 450,
  },
  server: {
    proxy: {
      '^/(auth|me|review|referrals|followups|reports|audit|break-glass|approval-policies)': 'http://127.0.0.1:8470',
    },
  },
});
