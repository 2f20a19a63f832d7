// Remote references in a message's CSS are taken out before the message frame sees them
// (renderer/src/mail/remote-css.ts); the frame's CSP is the layer behind this one.
import { expect, test } from 'vitest';
import { withoutRemoteCss } from '../../renderer/src/mail/remote-css.js';

test('url(), @import and image-set() strings that point elsewhere are removed and counted', () => {
  const { css, removed } = withoutRemoteCss(
    `@import url("https://tracker.example/a.css");
     @import 'http://tracker.example/b.css' screen;
     body { background: url(https://tracker.example/p.gif) no-repeat; }
     h1 { background-image: url( '//tracker.example/q.gif' ); }
     p { background-image: image-set("https://tracker.example/r.png" 1x); }`,
    {},
  );
  expect(css).not.toMatch(/tracker\.example/);
  expect(css).toContain('background: none no-repeat;');
  expect(removed).toBe(5);
});

test('data: URLs stay, and cid: URLs become the message’s own images', () => {
  const png = 'data:image/png;base64,iVBORw0KGgo=';
  const { css, removed } = withoutRemoteCss(
    `div { background: url(${png}); } p { background: url("cid:logo@example.test"); }`,
    { 'logo@example.test': png },
  );
  expect(css).toBe(`div { background: url(${png}); } p { background: url("${png}"); }`);
  expect(removed).toBe(0);
});

test('an unknown cid: or a relative URL resolves to nothing, without counting as remote', () => {
  expect(withoutRemoteCss('a { background: url(cid:missing) } b { background: url(img/x.png) }', {})).toEqual(
    {
      css: 'a { background: none } b { background: none }',
      removed: 0,
    },
  );
});
