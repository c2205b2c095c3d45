import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The API serves the built app itself (same origin, session cookie), so in development
// the Vite server forwards /api to it instead of the browser calling another origin.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/shared/test/setup.ts'],
  },
});
