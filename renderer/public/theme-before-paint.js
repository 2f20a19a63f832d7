// Applies the saved theme (Light or Dark; System needs nothing) before the first paint. A classic,
// parser-blocking script on purpose: module scripts are deferred and would run after the window
// has already been painted in the system's colours. Same key and values as
// src/theme/theme-choice.ts (test/unit/renderer-theme.test.ts checks that both agree).
{
  let saved = null;
  try {
    saved = window.localStorage.getItem('sealmail.theme');
  } catch {
    // Storage can be disabled: the system's scheme applies.
  }
  if (saved === 'light' || saved === 'dark') document.documentElement.dataset.theme = saved;
}
