/* eslint-disable no-console -- a command-line check that reports to a person (or CI's log) */
/**
 * Builds the Docker image's runtime layout without Docker and starts every process from it.
 *
 *   node --import tsx deploy/verify-image-layout.ts [--keep]
 *
 * It reads the Dockerfile and carries out the stages the final one copies from (FROM, WORKDIR,
 * ENV, COPY from the context honouring .dockerignore, COPY --from, RUN) in temporary folders, one
 * per stage, with this machine's Node.js and npm in place of the base image; then it runs the
 * image's ENTRYPOINT from the assembled layout: `migrate` on a fresh database, then `web`,
 * `realtime` and `worker`, checks their readiness probes, the sign-in page, a static asset and the
 * metrics endpoints, and stops them with SIGTERM (each must exit 0). Because the file list comes
 * from the Dockerfile itself, the image and this check cannot drift apart.
 *
 * Not emulated: the base image (this machine's Node.js stands in for it), cache mounts, and the
 * user name — as root, `node` is mapped to `nobody` and the processes run as that user, so a write
 * outside the folders the Dockerfile hands to `node` fails here as it would in the image.
 *
 * Environment: VERIFY_DATABASE_URL (a server where a database may be created; default
 * postgres://postgres@127.0.0.1:5432/postgres), VERIFY_REDIS_URL (optional, passed as REDIS_URL).
 * Takes about five minutes (two `npm ci` and a `next build`).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort } from "@/server/test/free-port";

const repo = path.resolve(import.meta.dirname, "..");
const keep = process.argv.includes("--keep");
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const say = (line: string) => console.log(`[verify-image ${elapsed()}] ${line}`);

// ---------------------------------------------------------------------------------------------
// The Dockerfile

type Instruction = { op: string; args: string; line: number };
type Stage = { name: string; from: string; instructions: Instruction[] };

function parseDockerfile(text: string): { args: Record<string, string>; stages: Stage[] } {
  const logical: { text: string; line: number }[] = [];
  let current: { text: string; line: number } | undefined;
  text.split("\n").forEach((raw, index) => {
    const trimmed = raw.trim();
    if (!current && (trimmed === "" || trimmed.startsWith("#"))) return;
    if (current && trimmed.startsWith("#")) return;
    const continued = trimmed.endsWith("\\");
    const part = continued ? trimmed.slice(0, -1).trim() : trimmed;
    current = current ? { text: `${current.text} ${part}`, line: current.line } : { text: part, line: index + 1 };
    if (!continued) {
      logical.push(current);
      current = undefined;
    }
  });
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const { text: entry, line } of logical) {
    const match = /^(\w+)\s*(.*)$/.exec(entry);
    if (!match) throw new Error(`Dockerfile line ${line}: cannot read "${entry}"`);
    const op = match[1]!.toUpperCase();
    const rest = match[2]!;
    if (op === "FROM") {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest);
      if (!from) throw new Error(`Dockerfile line ${line}: cannot read FROM ${rest}`);
      stages.push({ name: from[2] ?? String(stages.length), from: from[1]!, instructions: [] });
    } else if (stages.length === 0) {
      if (op !== "ARG") throw new Error(`Dockerfile line ${line}: ${op} before the first FROM`);
      const [key, value = ""] = rest.split("=");
      args[key!] = value;
    } else {
      stages.at(-1)!.instructions.push({ op, args: rest, line });
    }
  }
  return { args, stages };
}

/** COPY's flags and paths: `--from=build --chown=node:node a b dest` or the JSON form. */
function copyParts(args: string): { from?: string; sources: string[]; dest: string } {
  const words = args.trim().startsWith("[") ? (JSON.parse(args) as string[]) : args.trim().split(/\s+/);
  let from: string | undefined;
  const paths: string[] = [];
  for (const word of words) {
    if (word.startsWith("--from=")) from = word.slice("--from=".length);
    else if (!word.startsWith("--")) paths.push(word);
  }
  if (paths.length < 2) throw new Error(`COPY needs a source and a destination: ${args}`);
  return { from, sources: paths.slice(0, -1), dest: paths.at(-1)! };
}

/** .dockerignore patterns as tests on a context-relative path (its parents count too). */
function dockerignore(context: string): (relative: string) => boolean {
  const file = path.join(context, ".dockerignore");
  const rules = (existsSync(file) ? readFileSync(file, "utf8") : "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const negate = line.startsWith("!");
      const pattern = path.posix.normalize((negate ? line.slice(1) : line).replace(/^\/+/, ""));
      const source = pattern
        .split(/(\*\*\/?|\*|\?)/)
        .map((piece) => (piece === "**/" || piece === "**" ? "(?:.*/)?" + (piece === "**" ? ".*" : "") : piece === "*" ? "[^/]*" : piece === "?" ? "[^/]" : piece.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
        .join("");
      return { negate, regex: new RegExp(`^${source}(?:/.*)?$`) };
    });
  return (relative) => {
    let ignored = false;
    for (const rule of rules) if (rule.regex.test(relative)) ignored = !rule.negate;
    return ignored;
  };
}

// ---------------------------------------------------------------------------------------------
// Carrying the stages out in folders: <work>/<stage>/ stands for that stage's "/".

const work = mkdtempSync(path.join(tmpdir(), "support-chat-image-"));
chmodSync(work, 0o755);

/** The user the image's processes run as: `node` when this machine has one, else nobody when root. */
function runtimeUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const node = spawnSync("id", ["-u", "node"], { encoding: "utf8" });
  if (node.status === 0) {
    const gid = spawnSync("id", ["-g", "node"], { encoding: "utf8" }).stdout.trim();
    return { uid: Number(node.stdout.trim()), gid: Number(gid) };
  }
  return { uid: 65534, gid: 65534 };
}
const user = runtimeUser();

function copyInto(source: string, target: string, ignored?: (relative: string) => boolean, relative = ""): void {
  const stat = lstatSync(source);
  if (stat.isDirectory() && !ignored) {
    cpSync(source, target, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    return;
  }
  if (stat.isDirectory()) {
    mkdirSync(target, { recursive: true });
    for (const entry of readdirSync(source)) {
      const child = relative ? `${relative}/${entry}` : entry;
      if (ignored?.(child)) continue;
      copyInto(path.join(source, entry), path.join(target, entry), ignored, child);
    }
    return;
  }
  mkdirSync(path.dirname(target), { recursive: true });
  cpSync(source, target, { verbatimSymlinks: true, preserveTimestamps: true });
}

function run(command: string, cwd: string, env: NodeJS.ProcessEnv, label: string): Promise<void> {
  // Ownership maps the image's `node` user onto the one the processes run as here.
  const shim = user ? `chown() { spec=$(printf %s "$1" | sed "s/node/${user.uid}/g"); shift; command chown "$spec" "$@"; }; ` : "chown() { :; }; ";
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", shim + command], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const output: string[] = [];
    const collect = (chunk: Buffer) => {
      output.push(chunk.toString("utf8"));
      if (output.length > 400) output.shift();
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("close", (code) => {
      if (code === 0) return resolve();
      reject(new Error(`${label}: RUN ${command} exited with ${code}\n${output.join("").split("\n").slice(-40).join("\n")}`));
    });
  });
}

type Built = { root: string; workdir: string; env: Record<string, string> };

function createBuilder(stages: Stage[], context: string) {
  const built = new Map<string, Promise<Built>>();
  const ignored = dockerignore(context);

  async function build(stage: Stage): Promise<Built> {
    const root = path.join(work, stage.name);
    const parent = stages.find((s) => s.name === stage.from);
    let state: Built;
    if (parent) {
      const base = await stageByName(parent.name);
      cpSync(base.root, root, { recursive: true, verbatimSymlinks: true });
      state = { root, workdir: base.workdir, env: { ...base.env } };
    } else {
      mkdirSync(root, { recursive: true });
      state = { root, workdir: "/", env: {} };
    }
    const inside = (target: string) => path.join(root, path.posix.resolve(state.workdir, target));
    for (const { op, args, line } of stage.instructions) {
      const label = `stage ${stage.name}, Dockerfile line ${line}`;
      if (op === "WORKDIR") {
        state.workdir = path.posix.resolve(state.workdir, args.trim());
        mkdirSync(inside("."), { recursive: true });
      } else if (op === "ENV") {
        for (const match of args.matchAll(/(\w+)=("[^"]*"|\S+)/g)) state.env[match[1]!] = match[2]!.replace(/^"|"$/g, "");
      } else if (op === "COPY") {
        const { from, sources, dest } = copyParts(args);
        const origin = from ? await stageByName(from) : undefined;
        const target = inside(dest);
        const intoFolder = dest.endsWith("/") || dest === "." || sources.length > 1;
        for (const source of sources) {
          const absolute = origin ? path.join(origin.root, path.posix.resolve(origin.workdir, source)) : path.join(context, source);
          if (!existsSync(absolute)) throw new Error(`${label}: COPY source ${source} does not exist`);
          const isDir = lstatSync(absolute).isDirectory();
          const relative = origin ? undefined : path.posix.normalize(source).replace(/^\.\/?/, "");
          const filter = origin ? undefined : (child: string) => ignored(relative ? `${relative}/${child}` : child);
          copyInto(absolute, isDir || !intoFolder ? target : path.join(target, path.basename(source)), filter);
        }
      } else if (op === "RUN") {
        const command = args.replace(/--mount=\S+\s*/g, "").trim();
        say(`${stage.name}: RUN ${command.length > 90 ? `${command.slice(0, 87)}...` : command}`);
        await run(command, inside("."), { ...process.env, ...state.env }, label);
      } else if (!["ARG", "USER", "EXPOSE", "ENTRYPOINT", "CMD", "LABEL", "HEALTHCHECK", "STOPSIGNAL"].includes(op)) {
        throw new Error(`${label}: ${op} is not emulated; teach deploy/verify-image-layout.ts about it`);
      }
    }
    return state;
  }

  function stageByName(name: string): Promise<Built> {
    const stage = stages.find((s) => s.name === name);
    if (!stage) throw new Error(`no stage named ${name} in the Dockerfile`);
    if (!built.has(name)) built.set(name, build(stage));
    return built.get(name)!;
  }
  return stageByName;
}

// ---------------------------------------------------------------------------------------------
// Running the image's processes from the layout

type Proc = { name: string; child: ChildProcess; output: string[]; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> };

function startProcess(name: string, argv: string[], cwd: string, env: Record<string, string | undefined>): Proc {
  // Next narrows ProcessEnv (NODE_ENV required); these are plain variables.
  const childEnv = env as NodeJS.ProcessEnv;
  const [command, ...rest] = user ? ["setpriv", `--reuid=${user.uid}`, `--regid=${user.gid}`, "--clear-groups", ...argv] : argv;
  const child = spawn(command!, rest, { cwd, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) output.push(line);
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return { name, child, output, exit };
}

function failWith(message: string, procs: Proc[] = []): never {
  const logs = procs.map((p) => `--- ${p.name} (last lines) ---\n${p.output.slice(-30).join("\n")}`).join("\n");
  throw new Error(logs ? `${message}\n${logs}` : message);
}

async function waitFor(url: string, proc: Proc, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) failWith(`${proc.name} exited with ${proc.child.exitCode} before ${url} answered`, [proc]);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
      if (response.status === 200) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  failWith(`${url} did not answer 200 within ${timeoutMs / 1000} s (last: ${last.slice(0, 300)})`, [proc]);
}

async function expectStatus(url: string, status: number, procs: Proc[], init?: RequestInit): Promise<string> {
  const response = await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(15_000) });
  const body = await response.text();
  if (response.status !== status) failWith(`${url} answered ${response.status}, expected ${status}: ${body.slice(0, 300)}`, procs);
  say(`${url.replace(/^http:\/\/127\.0\.0\.1:\d+/, "")} → ${response.status}`);
  return body;
}

async function main(): Promise<void> {
  const dockerfile = parseDockerfile(readFileSync(path.join(repo, "Dockerfile"), "utf8"));
  const final = dockerfile.stages.at(-1)!;
  say(`Dockerfile: stages ${dockerfile.stages.map((s) => s.name).join(", ")}; assembling ${final.name} in ${work}`);
  const stage = createBuilder(dockerfile.stages, repo);
  // Stages the final one copies from are independent; build them side by side, as BuildKit does.
  const sources = new Set(final.instructions.filter((i) => i.op === "COPY").map((i) => copyParts(i.args).from).filter((from) => from !== undefined));
  await Promise.all([...sources].map((name) => stage(name)));
  const image = await stage(final.name);
  const entrypoint = final.instructions.findLast((i) => i.op === "ENTRYPOINT");
  if (!entrypoint) failWith("the final stage has no ENTRYPOINT");
  const entry = (JSON.parse(entrypoint.args) as string[]).map((word) => (word.startsWith("/") ? path.join(image.root, word) : word));
  const appDir = path.join(image.root, image.workdir);
  say(`layout assembled: ${readdirSync(appDir).join(", ")}`);

  const admin = process.env.VERIFY_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const database = `verify_image_${randomBytes(4).toString("hex")}`;
  const adminClient = new pg.Client({ connectionString: admin });
  await adminClient.connect();
  await adminClient.query(`CREATE DATABASE ${database}`);
  const databaseUrl = new URL(admin);
  databaseUrl.pathname = `/${database}`;
  const procs: Proc[] = [];
  try {
    const [webPort, realtimePort, workerPort] = [await freePort(), await freePort(), await freePort()];
    const metricsToken = randomBytes(24).toString("hex");
    // Only what the image sets plus what an operator must give: nothing from this machine's shell
    // but PATH, so a variable set here cannot make the check pass.
    const env: Record<string, string | undefined> = {
      PATH: process.env.PATH,
      HOME: tmpdir(),
      ...image.env,
      DATABASE_URL: databaseUrl.toString(),
      APP_SECRET: randomBytes(48).toString("base64"),
      ENCRYPTION_KEY: randomBytes(32).toString("hex"),
      PUBLIC_URL: `http://127.0.0.1:${webPort}`,
      PORT: String(webPort),
      REALTIME_PORT: String(realtimePort),
      WORKER_PORT: String(workerPort),
      METRICS_TOKEN: metricsToken,
      LOG_LEVEL: "info",
      ...(process.env.VERIFY_REDIS_URL ? { REDIS_URL: process.env.VERIFY_REDIS_URL } : {}),
    };

    const migrate = startProcess("migrate", [...entry, "migrate"], appDir, env);
    const migrated = await migrate.exit;
    if (migrated.code !== 0) failWith(`migrate exited with ${migrated.code ?? migrated.signal}`, [migrate]);
    say("migrate: exit 0");

    const web = startProcess("web", [...entry, "web"], appDir, env);
    const realtime = startProcess("realtime", [...entry, "realtime"], appDir, env);
    const worker = startProcess("worker", [...entry, "worker"], appDir, env);
    procs.push(web, realtime, worker);
    await Promise.all([
      waitFor(`http://127.0.0.1:${webPort}/api/health/ready`, web),
      waitFor(`http://127.0.0.1:${realtimePort}/health/ready`, realtime),
      waitFor(`http://127.0.0.1:${workerPort}/health/ready`, worker),
    ]);
    say("web, realtime and worker are ready");

    const base = `http://127.0.0.1:${webPort}`;
    await expectStatus(`${base}/api/health/ready`, 200, procs);
    const signIn = await expectStatus(`${base}/sign-in`, 200, procs);
    const asset = /\/_next\/static\/[^"'\s]+\.(?:js|css)/.exec(signIn)?.[0];
    if (!asset) failWith("the sign-in page links no /_next/static asset", procs);
    await expectStatus(`${base}${asset}`, 200, procs);
    // The installable app's files (public/): the service worker that shows pushes, the offline page, the manifest's icons.
    for (const file of ["/sw.js", "/offline.html", "/icons/icon-192.png", "/manifest.webmanifest"]) await expectStatus(`${base}${file}`, 200, procs);
    await expectStatus(`${base}/api/metrics`, 401, procs);
    await expectStatus(`${base}/api/metrics`, 200, procs, { headers: { authorization: `Bearer ${metricsToken}` } });
    await expectStatus(`http://127.0.0.1:${realtimePort}/health/ready`, 200, procs);
    await expectStatus(`http://127.0.0.1:${realtimePort}/metrics`, 200, procs, { headers: { authorization: `Bearer ${metricsToken}` } });
    await expectStatus(`http://127.0.0.1:${workerPort}/health/ready`, 200, procs);
    await expectStatus(`http://127.0.0.1:${workerPort}/metrics`, 200, procs, { headers: { authorization: `Bearer ${metricsToken}` } });
    const warnings = web.output.filter((line) => /does not work with "output: standalone"/.test(line));
    if (warnings.length > 0) failWith(`the web process warns: ${warnings[0]}`, [web]);

    for (const proc of procs) proc.child.kill("SIGTERM");
    const results = await Promise.all(
      procs.map(async (proc) => {
        const timer = setTimeout(() => proc.child.kill("SIGKILL"), 20_000);
        const result = await proc.exit;
        clearTimeout(timer);
        return { proc, result };
      }),
    );
    for (const { proc, result } of results) {
      if (result.code !== 0) failWith(`${proc.name} exited with ${result.code ?? result.signal} after SIGTERM`, [proc]);
    }
    say("SIGTERM: web, realtime and worker exited 0");
  } finally {
    for (const proc of procs) if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill("SIGKILL");
    await Promise.all(procs.map((proc) => proc.exit));
    await adminClient.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await adminClient.end();
  }
}

main().then(
  () => {
    if (!keep) rmSync(work, { recursive: true, force: true });
    say(keep ? `passed; layout kept in ${work}` : "passed");
  },
  (error: unknown) => {
    console.error(`[verify-image ${elapsed()}] FAILED: ${(error as Error).message}`);
    console.error(`layout kept in ${work}`);
    process.exit(1);
  },
);
