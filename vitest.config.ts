import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Separate processes: the client-isolation tests change the environment and the working directory.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
