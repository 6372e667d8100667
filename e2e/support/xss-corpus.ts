/**
 * Script-injection payloads for the hostile-input browser run. Each one, if it
 * ever ran in a page, would push its number onto `window.__xss` (the sentinel
 * the test reads) — and the classic ones call alert() too, which the test also
 * listens for. They cover markup (script tags, event handlers, SVG, iframes,
 * forms), URLs (`javascript:` and `data:` in every disguise), template and
 * framework syntax, and text tricks (right-to-left override, zero-width
 * characters) that make one thing look like another.
 */

const hit = (n: number) => `(window.__xss=window.__xss||[]).push(${n})`;

export function xssPayloads(): string[] {
  const payloads = [
    (n: number) => `<script>${hit(n)}</script>`,
    (n: number) => `<SCRIPT SRC=data:text/javascript,${encodeURIComponent(hit(n))}></SCRIPT>`,
    (n: number) => `<img src=x onerror="${hit(n)}">`,
    (n: number) => `<img src="x" onerror=${hit(n)}//`,
    (n: number) => `<svg onload="${hit(n)}"></svg>`,
    (n: number) => `<svg><script>${hit(n)}</script></svg>`,
    (n: number) => `<svg><animate onbegin="${hit(n)}" attributeName=x dur=1s>`,
    (n: number) => `<iframe src="javascript:parent.${hit(n)}"></iframe>`,
    (n: number) => `<iframe srcdoc="<script>parent.${hit(n)}</script>"></iframe>`,
    (n: number) => `<body onload="${hit(n)}">`,
    (n: number) => `<details open ontoggle="${hit(n)}">`,
    (n: number) => `<input autofocus onfocus="${hit(n)}">`,
    (n: number) => `<video><source onerror="${hit(n)}"></video>`,
    (n: number) => `<audio src=x onerror="${hit(n)}">`,
    (n: number) => `<a href="javascript:${hit(n)}">click me</a>`,
    (n: number) => `javascript:${hit(n)}`,
    (n: number) => `JaVaScRiPt:${hit(n)}`,
    (n: number) => `java\u0009script:${hit(n)}`,
    (n: number) => `data:text/html,<script>${hit(n)}</script>`,
    (n: number) => `<object data="data:text/html,<script>${hit(n)}</script>"></object>`,
    (n: number) => `<embed src="javascript:${hit(n)}">`,
    (n: number) => `<form action="javascript:${hit(n)}"><button>go</button></form>`,
    (n: number) => `<math><mtext><table><mglyph><style><img src=x onerror="${hit(n)}">`,
    (n: number) => `"><script>${hit(n)}</script>`,
    (n: number) => `'><img src=x onerror=${hit(n)}>`,
    (n: number) => `</textarea><script>${hit(n)}</script>`,
    (n: number) => `</title><script>${hit(n)}</script>`,
    (n: number) => `<style>@import 'javascript:${hit(n)}';</style>`,
    (n: number) => `<div style="background:url(javascript:${hit(n)})">x</div>`,
    (n: number) => `<meta http-equiv="refresh" content="0;url=javascript:${hit(n)}">`,
    (n: number) => `<base href="javascript:${hit(n)}//">`,
    (n: number) => `{{constructor.constructor('${hit(n)}')()}}`,
    (n: number) => `\${${hit(n)}}`,
    (n: number) => `&lt;img src=x onerror=${hit(n)}&gt;`,
    (n: number) => `&#60;script&#62;${hit(n)}&#60;/script&#62;`,
    (n: number) => `\u202E<img src=x onerror="${hit(n)}">gpj.exe`,
    (n: number) => `ad\u200Bmin<script\u200B>${hit(n)}</script>`,
    (n: number) => `<img src=x onerror="alert(${n});${hit(n)}">`,
  ];
  return payloads.map((payload, index) => payload(index + 1));
}

/** A file a browser would run if it were served as a page: HTML and SVG with the sentinel. */
export const hostileFiles = {
  html: (n: number) => Buffer.from(`<!doctype html><html><body><script>${hit(n)};alert(${n})</script><img src=x onerror="${hit(n)}"></body></html>`),
  svg: (n: number) => Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" onload="${hit(n)}"><script>${hit(n)};alert(${n})</script></svg>`),
};
