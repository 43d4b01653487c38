import { defineConfig } from '@playwright/test';
import base from './playwright.config';

/** The panel benchmark (npm run bench:panel): not part of the tests; figures go to docs/benchmarks.md. */
export default defineConfig({
  ...base,
  projects: undefined,
  globalSetup: undefined,
  testMatch: '*.bench.ts',
  timeout: 1_200_000,
});
