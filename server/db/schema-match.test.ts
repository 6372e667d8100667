import { readFileSync } from "node:fs";
import path from "node:path";
import prismaInternals from "@prisma/internals";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "@/server/config/data-dir";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { migrate } from "./migrate";

/**
 * The hand-written SQL migrations must produce exactly what schema.prisma
 * describes, or the generated client and the database disagree at run time.
 * This compares a freshly migrated database with Prisma's own reading of the schema.
 */

type DmmfField = {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "object" | "enum" | "unsupported";
  type: string;
  isList: boolean;
  isRequired: boolean;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
};
type DmmfModel = { name: string; dbName: string | null; fields: DmmfField[] };
type DmmfIndex = { model: string; type: "id" | "unique" | "normal" | "fulltext"; dbName?: string | null; fields: { name: string; sortOrder?: "asc" | "desc" }[] };
type Dmmf = { datamodel: { models: DmmfModel[]; enums: { name: string; values: { name: string }[] }[]; indexes: DmmfIndex[] } };

let database: TestDatabase;
let client: pg.Client;
let dmmf: Dmmf;

beforeAll(async () => {
  database = await createTestDatabase({ migrated: false });
  await migrate(database.url);
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const { getDMMF } = prismaInternals as unknown as { getDMMF: (o: { datamodel: string }) => Promise<Dmmf> };
  dmmf = await getDMMF({ datamodel: readFileSync(path.join(projectRoot, "prisma/schema.prisma"), "utf8") });
});

afterAll(async () => {
  await client.end();
  await database.drop();
});

/**
 * Indexes Prisma's schema cannot describe: full-text ones on expressions (see the inbox_search
 * migration) and a partial one (a conversation's assignment history, the assignment migration).
 */
const expressionIndexes = ["Message_text_search_idx", "Contact_name_search_idx", "Event_assignment_history_idx", "Notification_unread_idx"];

/**
 * Prisma's DMMF leaves out `Unsupported("…")` fields and every index that uses
 * one; they are read from the schema's text instead.
 */
function unsupportedInSchema(): { columns: string[]; indexes: string[] } {
  const text = readFileSync(path.join(projectRoot, "prisma/schema.prisma"), "utf8");
  const columns: string[] = [];
  const indexes: string[] = [];
  for (const [, model, body] of text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const fields = [...body!.matchAll(/^\s+(\w+)\s+Unsupported\("([^"]+)"\)(\?)?/gm)].map(([, name, type, optional]) => ({ name: name!, type: type!, optional: Boolean(optional) }));
    for (const field of fields) columns.push(`${model}.${field.name} ${field.type}${field.optional ? "" : " NOT NULL"}`);
    for (const [, list] of body!.matchAll(/^\s+@@index\(\[([^\]]+)\]\)/gm)) {
      const cols = list!.split(",").map((c) => c.trim());
      if (cols.some((c) => fields.some((f) => f.name === c))) indexes.push(`${model} index (${cols.join(", ")})`);
    }
  }
  return { columns, indexes };
}

const tableOf = (model: DmmfModel) => model.dbName ?? model.name;
const columnOf = (model: DmmfModel, fieldName: string) => {
  const field = model.fields.find((f) => f.name === fieldName)!;
  return field.dbName ?? field.name;
};

/** The Postgres type Prisma's migrate would create for a field (format_type spelling). */
function expectedType(field: DmmfField): string {
  const native = field.nativeType?.[0];
  let base: string;
  if (field.kind === "enum") base = `"${field.type}"`;
  else if (native === "Uuid") base = "uuid";
  else if (native === "VarChar") base = `character varying(${field.nativeType![1][0]})`;
  else if (native === "Date") base = "date";
  else {
    base = {
      String: "text",
      Int: "integer",
      BigInt: "bigint",
      Boolean: "boolean",
      DateTime: "timestamp(3) without time zone",
      Json: "jsonb",
      Float: "double precision",
      Decimal: "numeric(65,30)",
      Bytes: "bytea",
    }[field.type]!;
  }
  return field.isList ? `${base}[]` : base;
}

type ColumnRow = { table: string; column: string; type: string; notnull: boolean };
type IndexRow = { table: string; name: string; unique: boolean; primary: boolean; columns: string[]; desc: boolean[] };

async function columns(): Promise<ColumnRow[]> {
  const result = await client.query<ColumnRow>(`
    SELECT c.relname AS "table", a.attname AS "column", format_type(a.atttypid, a.atttypmod) AS "type", a.attnotnull AS notnull
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND c.relname <> '_prisma_migrations'`);
  return result.rows;
}

async function indexes(): Promise<IndexRow[]> {
  const result = await client.query<IndexRow>(`
    SELECT t.relname AS "table", i.relname AS name, ix.indisunique AS "unique", ix.indisprimary AS "primary",
      array(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum WHERE k.ord <= ix.indnkeyatts ORDER BY k.ord)::text[] AS columns,
      array(SELECT (o.opt & 1) = 1 FROM unnest(ix.indoption) WITH ORDINALITY o(opt, ord) ORDER BY o.ord)::boolean[] AS "desc"
    FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'`);
  return result.rows;
}

describe("the migrated database matches schema.prisma", () => {
  it("has a table for every model and no table the schema does not know", async () => {
    const actual = new Set((await columns()).map((row) => row.table));
    expect([...actual].sort()).toEqual(dmmf.datamodel.models.map(tableOf).sort());
  });

  it("has every enum with exactly the schema's values", async () => {
    const result = await client.query<{ name: string; values: string[] }>(`
      SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS "values"
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`);
    const actual = Object.fromEntries(result.rows.map((row) => [row.name, row.values]));
    const expected = Object.fromEntries(dmmf.datamodel.enums.map((e) => [e.name, e.values.map((v) => v.name)]));
    expect(actual).toEqual(expected);
  });

  it("has a column of the right type and nullability for every field, and no other column", async () => {
    const actual = (await columns()).map((row) => `${row.table}.${row.column} ${row.type}${row.notnull ? " NOT NULL" : ""}`).sort();
    const expected = dmmf.datamodel.models
      .flatMap((model) =>
        model.fields
          .filter((field) => field.kind === "scalar" || field.kind === "enum")
          // Prisma creates list columns without NOT NULL.
          .map((field) => `${tableOf(model)}.${field.dbName ?? field.name} ${expectedType(field)}${field.isRequired && !field.isList ? " NOT NULL" : ""}`),
      )
      .concat(unsupportedInSchema().columns)
      .sort();
    expect(actual).toEqual(expected);
  });

  it("has every primary key, unique constraint and index, in column order and sort direction, and no others", async () => {
    // The key columns: an index's INCLUDE columns (the reports' covering index) are the migration's, which Prisma cannot say.
    const describeIndex = (table: string, kind: string, cols: string[], desc: boolean[]) =>
      `${table} ${kind} (${cols.map((c, i) => `${c}${desc[i] ? " desc" : ""}`).join(", ")})`;
    const actual = (await indexes())
      .filter((row) => !expressionIndexes.includes(row.name))
      .map((row) => describeIndex(row.table, row.primary ? "primary" : row.unique ? "unique" : "index", row.columns, row.desc))
      .sort();
    const models = new Map(dmmf.datamodel.models.map((model) => [model.name, model]));
    const expected = dmmf.datamodel.indexes
      // Indexes over Unsupported fields (whose fields the DMMF leaves out) come from the schema's text below.
      .filter((index) => index.fields.every((field) => models.get(index.model)!.fields.some((f) => f.name === field.name)))
      .map((index) => {
        const model = models.get(index.model)!;
        const kind = index.type === "id" ? "primary" : index.type === "unique" ? "unique" : "index";
        return describeIndex(
          tableOf(model),
          kind,
          index.fields.map((field) => columnOf(model, field.name)),
          index.fields.map((field) => field.sortOrder === "desc"),
        );
      })
      .concat(unsupportedInSchema().indexes)
      .sort();
    expect(actual).toEqual(expected);
  });

  it("has the full-text indexes the migrations declare", async () => {
    const names = (await indexes()).map((row) => row.name);
    for (const name of expressionIndexes) expect(names).toContain(name);
  });

  it("has a foreign key with the schema's delete rule for every relation", async () => {
    const result = await client.query<{ table: string; columns: string[]; target: string; ondelete: string }>(`
      SELECT c.relname AS "table", f.relname AS target,
        array(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns,
        con.confdeltype AS ondelete
      FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_class f ON f.oid = con.confrelid
      WHERE con.contype = 'f'`);
    const rules: Record<string, string> = { a: "NoAction", r: "Restrict", c: "Cascade", n: "SetNull", d: "SetDefault" };
    const actual = result.rows.map((row) => `${row.table}(${row.columns.join(",")}) -> ${row.target} on delete ${rules[row.ondelete]}`).sort();
    const models = new Map(dmmf.datamodel.models.map((model) => [model.name, model]));
    const expected = dmmf.datamodel.models
      .flatMap((model) =>
        model.fields
          .filter((field) => field.kind === "object" && (field.relationFromFields?.length ?? 0) > 0)
          .map((field) => {
            const defaultRule = field.isRequired ? "Restrict" : "SetNull";
            const from = field.relationFromFields!.map((name) => columnOf(model, name));
            return `${tableOf(model)}(${from.join(",")}) -> ${tableOf(models.get(field.type)!)} on delete ${field.relationOnDelete ?? defaultRule}`;
          }),
      )
      .sort();
    expect(actual).toEqual(expected);
  });
});
