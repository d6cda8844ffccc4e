import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

// The exercise kit's tests, run by `npm run grade` (scripts/grade.ts), not by `npm test`:
// `import … from 'tsgrad'` resolves to this edition's src/, as in the repository's own config.
export default defineConfig({
  root: source('..'),
  resolve: {
    alias: [{ find: /^tsgrad$/, replacement: source('../src/index.ts') }],
  },
  test: {
    include: ['exercises/tests/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
