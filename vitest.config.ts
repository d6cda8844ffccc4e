import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

// The package's own entries resolve to src/ (as tsconfig's `paths` do for tsc and tsx), so tests,
// examples and doc snippets that import 'tsgrad' run the code as it is, with no build step.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^tsgrad$/, replacement: source('./src/index.ts') },
      { find: /^tsgrad\/node$/, replacement: source('./src/node/index.ts') },
      { find: /^tsgrad\/gpu$/, replacement: source('./src/gpu.ts') },
      { find: /^tsgrad\/learn$/, replacement: source('./src/learn/index.ts') },
      { find: /^tsgrad\/onnx$/, replacement: source('./src/onnx/index.ts') },
    ],
  },
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['tests/browser/global-setup.ts'],
  },
});
