import { query } from '@solidjs/router';
import { cleanup } from '@solidjs/testing-library';
import { afterEach, vi } from 'vitest';

// Each test renders into a fresh document, with no cached API answers and nothing remembered.
afterEach(() => {
  cleanup();
  query.clear();
  localStorage.clear();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});
