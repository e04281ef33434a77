import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'lambdas/**/*.test.ts', 'lib/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // Integration tests start loopback servers (MCP, dynalite, s3rver) and synthesize the stack.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
