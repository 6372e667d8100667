import { readFileSync } from "node:fs";

/**
 * Fails when a log file holds something that looks like a secret: CI runs the
 * product at debug level (the browser tests' stack, the scale-out run), keeps
 * every process's output, and runs this over it. The patterns are the shapes our
 * secrets have — a Telegram bot token, an API key, a session cookie, a bearer
 * header, a database URL's password — plus any exact values named in
 * SECRET_VALUES (newline-separated), for secrets with no telling shape.
 *
 * Usage: node --import tsx scripts/check-log-secrets.ts <log file>...
 */

const shapes: [string, RegExp][] = [
  ["a Telegram bot token", /(?<!\d)\d{5,12}:[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/],
  ["an API key", /\bsck_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{43}\b/],
  ["a session cookie", /next-auth\.session-token=(?!\[redacted\])[^;\s"]+/],
  ["a bearer credential", /\bBearer\s+(?!\[redacted\])[A-Za-z0-9._~+/-]{16,}/],
  ["a password in a database URL", /\bpostgres(?:ql)?:\/\/[^:/\s"]+:(?!\*\*\*)[^@\s"]+@/],
  ["the demo owner's password", /\bscdemo_[A-Za-z0-9_-]{16}(?![A-Za-z0-9_-])/],
];

export type Finding = { file: string; line: number; what: string };

export function findSecrets(file: string, text: string, values: string[]): Finding[] {
  const findings: Finding[] = [];
  text.split("\n").forEach((content, index) => {
    for (const [what, pattern] of shapes) if (pattern.test(content)) findings.push({ file, line: index + 1, what });
    for (const value of values) if (content.includes(value)) findings.push({ file, line: index + 1, what: "a value listed in SECRET_VALUES" });
  });
  return findings;
}

function main(files: string[]): number {
  if (files.length === 0) {
    console.error("usage: check-log-secrets <log file>...");
    return 2;
  }
  const values = (process.env.SECRET_VALUES ?? "").split("\n").filter((value) => value.length >= 8);
  let lines = 0;
  const findings = files.flatMap((file) => {
    const text = readFileSync(file, "utf8");
    lines += text.split("\n").length;
    return findSecrets(file, text, values);
  });
  // Where, and what kind — never the text itself, which would print the secret once more.
  for (const finding of findings) console.error(`${finding.file}:${finding.line}: ${finding.what}`);
  console.log(`check-log-secrets: ${files.length} file(s), ${lines} lines, ${findings.length} secret(s) found`);
  return findings.length === 0 ? 0 : 1;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) process.exit(main(process.argv.slice(2)));
