import { Command, InvalidArgumentError, Option } from "commander";
import { z } from "zod";
import { apiScopes, defaultApiScopes, type ApiScope } from "@/lib/api-scopes";
import {
  apiKeyNameSchema,
  apiScopesSchema,
  emailSchema,
  passwordSchema,
  personNameSchema,
  roleSchema,
  slugify,
  tenantNameSchema,
  tenantSlugSchema,
} from "@/lib/validation";
import { loadConfig } from "@/server/config/config";
import { StartupError } from "@/server/config/fail";
import { createSystemDb, type SystemDb } from "@/server/db/client";
import { openDatabase } from "@/server/db/database";
import { AppError } from "@/server/errors";
import { createLogger } from "@/server/logger";
import { createApiKey } from "@/server/services/api-keys/create-api-key";
import { recordAudit } from "@/server/services/audit/record-audit";
import { rebuildReports } from "@/server/services/reports/maintain";
import { createTenant } from "@/server/services/tenants/create-tenant";
import { findTenantBySlug } from "@/server/services/tenants/find-tenant";
import { addMember } from "@/server/services/users/add-member";
import { randomBytes } from "node:crypto";

/**
 * The operator CLI: `npm run admin -- <command>`. Human-readable output by
 * default; with --json exactly one JSON object on stdout, for scripts.
 * Errors go to stderr as one line, with exit code 1.
 */

class CliError extends Error {}

/** Parses an option with a shared zod rule, so the CLI and the API accept the same values. */
function parseWith<T>(schema: z.ZodType<T>, label: string) {
  return (value: string): T => {
    const result = schema.safeParse(value);
    if (!result.success) throw new InvalidArgumentError(`${label} ${result.error.issues[0]?.message ?? "is invalid"}`);
    return result.data;
  };
}

function parseScopes(value: string): ApiScope[] {
  const scopes = value.split(",").map((scope) => scope.trim()).filter(Boolean);
  const result = apiScopesSchema.safeParse(scopes);
  if (!result.success) throw new InvalidArgumentError(`scopes must be a comma-separated list of: ${apiScopes.join(", ")}`);
  return result.data;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

/** Opens the database for one command and closes it after, whatever happens. */
async function withDb<T>(run: (db: SystemDb) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const log = createLogger("admin", "warn");
  const database = await openDatabase(config, { log, embedded: "reuse-or-start" });
  const db = createSystemDb(database.url, { max: 2 });
  try {
    return await run(db);
  } finally {
    await db.$disconnect();
    await database.close();
  }
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

function output(json: boolean, result: Record<string, unknown>, lines: string[]): void {
  process.stdout.write(json ? `${JSON.stringify(result)}\n` : `${lines.join("\n")}\n`);
}

const program = new Command("admin")
  .description("Support Chat operator commands (run as: npm run admin -- <command>)")
  .showHelpAfterError("(add --help for usage)")
  .configureOutput({ outputError: (text, write) => write(text) });

program
  .command("tenant:create")
  .description("create a tenant (a workspace with its own members, channels and data)")
  .requiredOption("--name <name>", "display name", parseWith(tenantNameSchema, "--name"))
  .option("--slug <slug>", "URL name, as in /t/<slug>/inbox (default: derived from the name)", parseWith(tenantSlugSchema, "--slug"))
  .option("--json", "print one JSON object for scripts")
  .action(async (options: { name: string; slug?: string; json?: boolean }) => {
    const slug = options.slug ?? slugify(options.name);
    if (!tenantSlugSchema.safeParse(slug).success) {
      throw new CliError(`cannot derive a URL name from "${options.name}"; pass --slug`);
    }
    const tenant = await withDb((db) => createTenant(db, { name: options.name, slug }));
    output(options.json ?? false, { tenantId: tenant.id, slug: tenant.slug }, [
      `Created tenant "${tenant.name}" (${tenant.slug}), id ${tenant.id}`,
    ]);
  });

program
  .command("user:create")
  .description("create a user (or take an existing one by email) and make them a member of a tenant")
  .requiredOption("--email <email>", "sign-in email", parseWith(emailSchema, "--email"))
  .requiredOption("--tenant <slug>", "the tenant to join", parseWith(tenantSlugSchema, "--tenant"))
  .addOption(new Option("--role <role>", "role in the tenant").choices(roleSchema.options).default("agent"))
  .option("--name <name>", "display name (default: the part of the email before @)", parseWith(personNameSchema, "--name"))
  .option("--password <password>", "password for a new user (visible to other local users; prefer --password-stdin)")
  .option("--password-stdin", "read the password from standard input")
  .option("--json", "print one JSON object for scripts")
  .action(
    async (options: {
      email: string;
      tenant: string;
      role: "owner" | "admin" | "agent";
      name?: string;
      password?: string;
      passwordStdin?: boolean;
      json?: boolean;
    }) => {
      if (options.password && options.passwordStdin) throw new CliError("use either --password or --password-stdin, not both");
      let password = options.passwordStdin ? await readStdin() : options.password;
      let generated = false;
      if (password !== undefined) {
        const valid = passwordSchema.safeParse(password);
        if (!valid.success) throw new CliError(`password ${valid.error.issues[0]?.message}`);
      }
      const result = await withDb(async (db) => {
        const tenant = await findTenantBySlug(db, options.tenant);
        const existing = await db.user.findUnique({ where: { email: options.email }, select: { id: true } });
        if (!existing && password === undefined) {
          password = randomBytes(12).toString("base64url");
          generated = true;
        }
        const name = options.name ?? options.email.split("@")[0]!;
        const added = await db.$transaction((tx) =>
          addMember(tx, { tenantId: tenant.id, email: options.email, name, role: options.role, password }),
        );
        return { tenant, ...added };
      });
      output(
        options.json ?? false,
        {
          userId: result.user.id,
          membershipId: result.membership.id,
          tenantId: result.tenant.id,
          createdUser: result.createdUser,
          ...(generated ? { password } : {}),
        },
        [
          result.createdUser
            ? `Created user ${result.user.email}, id ${result.user.id}`
            : `${result.user.email} already had an account; kept its password`,
          `Added to ${result.tenant.slug} as ${options.role}`,
          ...(generated ? [`Password (shown once): ${password}`] : []),
        ],
      );
    },
  );

program
  .command("apikey:create")
  .description("create an API key for a tenant; the key is printed once and stored only as a hash")
  .requiredOption("--tenant <slug>", "the tenant the key acts for", parseWith(tenantSlugSchema, "--tenant"))
  .requiredOption("--name <name>", "what the key is for, shown in lists", parseWith(apiKeyNameSchema, "--name"))
  .option("--scopes <list>", `comma-separated: ${apiScopes.join(", ")}`, parseScopes, defaultApiScopes)
  .option("--json", "print one JSON object for scripts")
  .action(async (options: { tenant: string; name: string; scopes: ApiScope[]; json?: boolean }) => {
    const { apiKey, key, tenant } = await withDb(async (db) => {
      const tenant = await findTenantBySlug(db, options.tenant);
      const created = await db.$transaction((tx) =>
        createApiKey(tx, { tenantId: tenant.id, name: options.name, scopes: options.scopes, actor: {} }),
      );
      return { tenant, ...created };
    });
    output(
      options.json ?? false,
      { apiKeyId: apiKey.id, tenantId: tenant.id, prefix: apiKey.prefix, scopes: apiKey.scopes, key },
      [
        `Created API key "${apiKey.name}" for ${tenant.slug} (scopes: ${apiKey.scopes.join(", ")})`,
        `Key (shown once, store it now): ${key}`,
      ],
    );
  });

program
  .command("reports:rebuild")
  .description("recompute a tenant's report figures from its event log (after changing its business hours or time zone, say)")
  .requiredOption("--tenant <slug>", "the tenant whose reports to rebuild", parseWith(tenantSlugSchema, "--tenant"))
  .option("--json", "print one JSON object for scripts")
  .action(async (options: { tenant: string; json?: boolean }) => {
    const started = performance.now();
    const { tenant, result } = await withDb(async (db) => {
      const tenant = await findTenantBySlug(db, options.tenant);
      // One transaction: the reports follower waits for this tenant meanwhile, and sees the rebuilt states after.
      const result = await db.$transaction(
        async (tx) => {
          const rebuilt = await rebuildReports(tx, { tenantId: tenant.id, onProgress: (read) => !options.json && process.stderr.write(`read ${read} events\n`) });
          await recordAudit(tx, { tenantId: tenant.id, action: "reports.rebuilt", actor: {}, metadata: rebuilt });
          return rebuilt;
        },
        { timeout: 60 * 60_000, maxWait: 60_000 },
      );
      return { tenant, result };
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    output(options.json ?? false, { tenantId: tenant.id, ...result, seconds: Number(seconds) }, [
      `Rebuilt the reports of ${tenant.slug} in ${seconds} s: ${count(result.events, "event")}, ${count(result.conversations, "conversation")}, ${count(result.facts, "fact")}`,
    ]);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CliError || error instanceof AppError || error instanceof StartupError) {
    process.stderr.write(`admin: ${error.message}\n`);
  } else {
    process.stderr.write(`admin: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
});
