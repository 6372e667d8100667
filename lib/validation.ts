import { z } from "zod";
import { apiScopes } from "./api-scopes";

/** Input rules shared by the CLI, the API and the forms. */

export const tenantSlugSchema = z
  .string()
  .trim()
  .min(2, "must be at least 2 characters")
  .max(40, "must be at most 40 characters")
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "may contain lowercase letters, digits and single dashes only");

export const tenantNameSchema = z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters");

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "must be at most 254 characters")
  .pipe(z.email("must be an email address"));

export const personNameSchema = z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters");

export const passwordSchema = z
  .string()
  .min(10, "must be at least 10 characters")
  .max(200, "must be at most 200 characters");

export const roleSchema = z.enum(["owner", "admin", "agent"], { message: "must be owner, admin or agent" });

export const apiKeyNameSchema = z.string().trim().min(1, "must not be empty").max(80, "must be at most 80 characters");

export const apiScopesSchema = z
  .array(z.enum(apiScopes, { message: `must be among ${apiScopes.join(", ")}` }))
  .min(1, "must name at least one scope");

/** "Acme Support, Inc." → "acme-support-inc" */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
}
