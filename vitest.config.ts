import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // One set of real services (Temporal, Weaviate, PostgreSQL/PGlite) for the whole run.
    globalSetup: ['tests/setup/global-services.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
  },
});
