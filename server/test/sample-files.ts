/**
 * Files for tests of how files are received and served: two real pictures (2×2,
 * made with sharp and decoded by it) and hostile content that a sender may claim
 * is anything at all.
 */
export const tinyJpeg = Buffer.from(
  "/9j/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAACAAIDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAX/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAABAb/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCWAEpn/9k=",
  "base64",
);

export const tinyPng = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAEklEQVQImWPQ0DihoXGCAUIBABwuBGEfKWxEAAAAAElFTkSuQmCC", "base64");

/** A page that, run on the app's origin, would read the agent's session and act as them. */
export const hostileHtml = Buffer.from(
  '<!doctype html><html><body><script>fetch("/api/trpc/apiKeys.create",{method:"POST",body:JSON.stringify({name:"pwned",scopes:["admin"]})})</script></body></html>',
);

export const hostileSvg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script><rect width="10" height="10"/></svg>');
