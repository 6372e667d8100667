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
  .min(1, "must name at least one scope")
  // Each scope once is all a key can have; a longer list is a client's bug, not a key to store.
  .max(apiScopes.length, `must name at most the ${apiScopes.length} scopes there are`);

/**
 * The dates a person can mean, for filters and schedules: from 2000 to 2100.
 * Anything wider is not just meaningless but unsafe — PostgreSQL refuses years
 * before 4713 BC and past 294276, JavaScript's Date runs to year 275760, and a
 * year past 9999 that PostgreSQL did store reads back through Prisma as null.
 */
const EARLIEST_DATE = new Date("2000-01-01T00:00:00.000Z");
const LATEST_DATE = new Date("2100-01-01T00:00:00.000Z");
const dateRangeMessage = "pick a date between the years 2000 and 2100";

export const saneDateSchema = z.date().min(EARLIEST_DATE, dateRangeMessage).max(LATEST_DATE, dateRangeMessage);

/** The same for a date sent as text or a number (`z.coerce.date()`), as forms and scripts do. */
export const saneCoercedDateSchema = z.coerce.date().min(EARLIEST_DATE, dateRangeMessage).max(LATEST_DATE, dateRangeMessage);

/** An ISO 8601 timestamp in the same range, as our own cursors carry them; parsed to a Date. */
export const saneIsoDateSchema = z.iso
  .datetime()
  .transform((text) => new Date(text))
  .pipe(saneDateSchema);

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
