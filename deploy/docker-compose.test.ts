import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DCLinter } from "dclint";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

// deploy/docker-compose.yml against the Compose Specification's JSON schema (the one `docker compose`
// uses, as shipped by dclint), plus what the schema cannot know: the services the README and
// deploy/prometheus.yml name, the proxy's upstreams, and that no secret is written into the file.

const deploy = import.meta.dirname;
const composeFile = path.join(deploy, "docker-compose.yml");

type Service = {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
};

/** dclint's findings that make a file unusable; its style rules (key order and the like) are not ours. */
const fatal = new Set(["invalid-yaml", "invalid-schema", "unknown-error", "no-duplicate-container-names", "no-duplicate-exported-ports"]);

function schemaErrors(file: string): string[] {
  const linter = new DCLinter({ rules: {}, quiet: true, debug: false, exclude: [] });
  return linter
    .lintFiles([file], false)
    .flatMap((result) => result.messages)
    .filter((message) => fatal.has(message.rule))
    .map((message) => `${message.rule}: ${message.message}`);
}

describe("deploy/docker-compose.yml", () => {
  const source = readFileSync(composeFile, "utf8");
  const compose = parse(source, { merge: true }) as { services: Record<string, Service> };
  const services = compose.services;

  it("is valid by the Compose Specification's schema", () => {
    expect(schemaErrors(composeFile)).toEqual([]);
  });

  it("fails the same check when broken", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "compose-"));
    try {
      const broken = path.join(dir, "docker-compose.yml");
      writeFileSync(broken, source.replace("    restart: unless-stopped\n", "    restart: unless-stopped\n    restrat: always\n"));
      expect(schemaErrors(broken).join("\n")).toMatch(/invalid-schema/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs two of each process from one image, after the one-shot migration", () => {
    const byCommand = (command: string) => Object.keys(services).filter((name) => services[name]!.command?.[0] === command);
    expect(byCommand("web")).toEqual(["web-1", "web-2"]);
    expect(byCommand("realtime")).toEqual(["realtime-1", "realtime-2"]);
    expect(byCommand("worker")).toEqual(["worker-1", "worker-2"]);
    expect(byCommand("migrate")).toEqual(["migrate"]);
    const app = [...byCommand("web"), ...byCommand("realtime"), ...byCommand("worker"), "migrate"];
    expect(new Set(app.map((name) => services[name]!.image)).size).toBe(1);
    for (const name of app.filter((n) => n !== "migrate")) {
      expect(services[name]!.depends_on?.migrate?.condition, name).toBe("service_completed_successfully");
      expect(services[name]!.healthcheck?.test.join(" "), name).toMatch(/\/health\/ready/);
    }
  });

  it("takes every secret from the environment, never from the file", () => {
    const env = services["web-1"]!.environment!;
    for (const key of ["APP_SECRET", "ENCRYPTION_KEY", "PUBLIC_URL"]) expect(env[key], key).toMatch(new RegExp(`^\\$\\{${key}:\\?`));
    expect(env.DATABASE_URL).toMatch(/\$\{POSTGRES_PASSWORD:\?/);
    expect(services.postgres!.environment!.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
  });

  it("matches the hosts the proxy and Prometheus reach", () => {
    const nginx = readFileSync(path.join(deploy, "nginx.conf"), "utf8");
    const upstreams = [...nginx.matchAll(/^\s*server ([\w-]+):(\d+)/gm)].map((m) => `${m[1]}:${m[2]}`);
    const prometheus = [...readFileSync(path.join(deploy, "prometheus.yml"), "utf8").matchAll(/"([\w-]+):(\d+)"/g)].map((m) => `${m[1]}:${m[2]}`);
    const ports: Record<string, string> = { web: "3000", realtime: "3001", worker: "3002" };
    for (const target of [...upstreams, ...prometheus]) {
      const [host, port] = target.split(":");
      expect(services[host!], target).toBeDefined();
      expect(port, target).toBe(ports[services[host!]!.command![0]!]);
    }
    expect(upstreams).toHaveLength(4);
    expect(prometheus).toHaveLength(6);
  });
});
