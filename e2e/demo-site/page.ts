/**
 * The sample shop page: a small, plain page on an origin of its own, as a
 * customer's site would be, with the widget's embed snippet pasted in just
 * before `</body>` as an admin pastes it. Light or dark as the visitor's
 * system is; the widget follows the same preference on its own.
 */
export function demoSitePage(snippet: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Sample shop — Support Chat demo</title>
<style>
  :root{color-scheme:light dark;--bg:#f8fafc;--fg:#0f172a;--muted:#475569;--card:#fff;--line:#e2e8f0}
  @media (prefers-color-scheme:dark){:root{--bg:#0b1120;--fg:#e2e8f0;--muted:#94a3b8;--card:#111827;--line:#1f2937}}
  body{margin:0;font:16px/1.5 system-ui,sans-serif;background:var(--bg);color:var(--fg)}
  main{max-width:720px;margin:0 auto;padding:32px 20px 120px}
  h1{margin:0 0 4px;font-size:28px} p{margin:0 0 16px;color:var(--muted)}
  ul{list-style:none;padding:0;display:grid;gap:12px;grid-template-columns:repeat(auto-fill,minmax(180px,1fr))}
  li{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:16px}
  li strong{display:block} li span{color:var(--muted)}
</style></head>
<body><main>
<h1>Sample shop</h1>
<p>A page on another website that embeds the demo workspace's chat widget. Open the bubble in the corner and write; the message arrives in the inbox, and a reply from there appears here at once.</p>
<ul>
  <li><strong>Blue lamp</strong><span>€49</span></li>
  <li><strong>Linen cushion</strong><span>€25</span></li>
  <li><strong>Oak side table</strong><span>€129</span></li>
</ul>
</main>
${snippet}
</body></html>
`;
}
