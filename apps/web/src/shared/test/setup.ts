import { afterEach, vi } from 'vitest';

// React warns unless it knows the tests wrap updates in act().
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

afterEach(() => {
  vi.unstubAllGlobals();
  // Tests of pure logic may run in the node environment (real Blob/File streams), without a DOM.
  if (typeof document === 'undefined') return;
  document.body.innerHTML = '';
  window.history.replaceState(null, '', '/');
});
