import fc from "fast-check";
import type { z } from "zod";
import {
  brokenText,
  deeplyNested,
  extremeDates,
  forgedCursors,
  hostileDateInputs,
  hostileNumbers,
  longStrings,
  metacharacters,
  unicodeTricks,
  wrongTypes,
  xssPayloads,
} from "@/server/test/hostile-input";

/**
 * Inputs for a zod 4 schema, for fuzzing. A case is either well-formed — what
 * the schema accepts, so the call gets past validation into the service, where
 * the bugs are, with the hostile corpus as its text wherever that fits the
 * bounds (script tags in a label) — or hostile: any part, at any depth, may be
 * swapped for a wrong type, a value past its bound, text no store can keep, a
 * forged cursor or a date no database takes.
 *
 * It walks the schema's own definition (`schema._zod.def`: a `type` and, for
 * strings, numbers and arrays, their `checks`) rather than `z.toJSONSchema`,
 * which cannot express dates, coercion or transforms: those are exactly where
 * the API takes what JSON Schema would call "anything". Refinements are not
 * generated for — the base type is, and the refinement gets its chance to
 * refuse. A kind of schema this does not know gets arbitrary JSON.
 */

export type FuzzPools = {
  /**
   * Candidates for a uuid field besides random uuids: ids of real rows, ours and
   * another tenant's. Given the field's name (`conversationId`), so the pool can
   * offer the rows such a field names and calls reach past "not found".
   */
  ids: (field: string | undefined) => fc.Arbitrary<unknown>;
  /**
   * Real values for a field of this name, if any (a locale, a template key, a
   * slug, a setting): what random text would hardly ever hit and a service's
   * own rules want. Offered besides what the schema generates.
   */
  values: (field: string | undefined) => fc.Arbitrary<unknown> | undefined;
};

type Schema = z.core.$ZodType;
/** The parts of a zod 4 definition this reads; which are present depends on `type`. */
type Def = {
  type: string;
  checks?: { _zod: { def: CheckDef } }[];
  format?: string;
  pattern?: RegExp;
  coerce?: boolean;
  shape?: Record<string, Schema>;
  element?: Schema;
  keyType?: Schema;
  valueType?: Schema;
  items?: Schema[];
  options?: Schema[];
  left?: Schema;
  right?: Schema;
  innerType?: Schema;
  in?: Schema;
  out?: Schema;
  entries?: Record<string, string | number>;
  values?: unknown[];
  getter?: () => Schema;
};
type CheckDef = { check: string; minimum?: number; maximum?: number; length?: number; value?: number | bigint | Date; inclusive?: boolean; format?: string; pattern?: RegExp };

const defOf = (schema: Schema) => schema._zod.def as unknown as Def;
const checksOf = (def: Def) => (def.checks ?? []).map((check) => check._zod.def);

/** Nesting past this gets plain JSON: no real input is deeper, and a z.lazy cycle must end. */
const MAX_DEPTH = 8;
/** Longest conforming text or array generated; the hostile branch goes past every bound instead. */
const LONGEST_TEXT = 64;
const LONGEST_ARRAY = 3;

const contentText = [...xssPayloads, ...unicodeTricks, ...metacharacters, ...forgedCursors];
const hostileText = [...contentText, ...brokenText, ...longStrings];

const json = fc.jsonValue({ maxDepth: 3 });
/** Anything at all, in place of any part of an input. */
const anything: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...wrongTypes),
  fc.constantFrom(...hostileText),
  fc.constantFrom(...hostileNumbers),
  fc.constantFrom(...extremeDates),
  fc.constantFrom("object" as const, "array" as const).map((kind) => printedAs(deeplyNested(5000, kind), `deeplyNested(5000, "${kind}")`)),
  json,
);

/** A failing case prints this way: fast-check's own printer would overflow the stack on 5,000 levels. */
function printedAs(value: unknown, text: string): unknown {
  Object.defineProperty(value, fc.toStringMethod, { value: () => text, enumerable: false });
  return value;
}

/** Where the walk is: the pools, whether this case is a hostile one, how deep, under which key. */
type Walk = { pools: FuzzPools; hostile: boolean; depth: number; field: string | undefined };

/** In a hostile case, now and then what the schema must refuse instead of what it wants. */
function mixed(walk: Walk, conforming: fc.Arbitrary<unknown>, refused: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  if (!walk.hostile) return conforming;
  return fc.oneof({ weight: 5, arbitrary: conforming }, { weight: 1, arbitrary: refused }, { weight: 1, arbitrary: anything });
}

/** Well-formed values of `schema` (no hostile replacements), for a pool of real values built from a schema. */
export function arbitraryFor(schema: Schema, pools: FuzzPools): fc.Arbitrary<unknown> {
  return node(schema, { pools, hostile: false, depth: 0, field: undefined });
}

/**
 * A tRPC procedure's input from its parsers (`procedure._def.inputs`; tRPC
 * merges chained ones into one object): what they accept, mixed with the
 * hostile corpus at every level. A procedure without input gets nothing,
 * mostly, and anything now and then — a client can send a body to any of them.
 */
export function arbitraryForInputs(parsers: readonly unknown[], pools: FuzzPools): fc.Arbitrary<unknown> {
  if (parsers.length === 0) return fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: anything });
  const input = (hostile: boolean) => {
    const parts = parsers.map((parser) => (isZodSchema(parser) ? node(parser, { pools, hostile, depth: 0, field: undefined }) : anything));
    if (parts.length === 1) return parts[0]!;
    return fc.tuple(...parts).map((values) => (values.every(isPlainObject) ? Object.assign({}, ...values) : values[0]));
  };
  return fc.oneof({ weight: 3, arbitrary: input(false) }, { weight: 2, arbitrary: input(true) }, { weight: 1, arbitrary: anything });
}

function isZodSchema(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && "_zod" in value;
}

/** `walk.field` is the name of the object key this value sits under (inside arrays too): the pools go by it. */
function node(schema: Schema, walk: Walk): fc.Arbitrary<unknown> {
  if (walk.depth > MAX_DEPTH) return json;
  const def = defOf(schema);
  const inner = (child: Schema, field = walk.field) => node(child, { ...walk, depth: walk.depth + 1, field });
  const known = walk.pools.values(walk.field);
  const orKnown = (generated: fc.Arbitrary<unknown>) => (known ? fc.oneof({ weight: 1, arbitrary: generated }, { weight: 3, arbitrary: known }) : generated);
  switch (def.type) {
    case "string":
      return mixed(walk, orKnown(stringArbitrary(def, walk)), fc.constantFrom(...hostileText));
    case "number":
      return mixed(walk, numberArbitrary(def), fc.constantFrom(...hostileNumbers));
    case "boolean":
      return mixed(walk, fc.boolean(), fc.constantFrom("true", 1, "false", 0));
    case "bigint":
      return mixed(walk, fc.bigInt(), fc.constantFrom(...hostileNumbers));
    case "date":
      return mixed(walk, dateArbitrary(def), fc.constantFrom(...extremeDates, ...(def.coerce ? hostileDateInputs : [])));
    case "enum":
      return mixed(walk, fc.constantFrom(...Object.values(def.entries!)), fc.constantFrom(...contentText));
    case "literal":
      return mixed(walk, fc.constantFrom(...def.values!), fc.constantFrom(...contentText));
    case "null":
      return fc.constant(null);
    case "undefined":
    case "void":
      return fc.constant(undefined);
    case "object":
      return mixed(walk, objectArbitrary(def, inner), objectArbitrary(def, inner).chain((value) => withExtraKey(value)));
    case "array": {
      const { min, max } = lengthBounds(def);
      const element = inner(def.element!);
      const tooLong = max === undefined ? fc.array(element, { minLength: 1000, maxLength: 1000 }) : fc.array(element, { minLength: max + 1, maxLength: max + 3 });
      return mixed(walk, fc.array(element, { minLength: min, maxLength: Math.max(min, Math.min(max ?? LONGEST_ARRAY, LONGEST_ARRAY)) }), tooLong);
    }
    case "tuple":
      return mixed(walk, fc.tuple(...def.items!.map((item) => inner(item))), fc.array(json));
    case "record": {
      const key = inner(def.keyType!).filter((value): value is string => typeof value === "string");
      const value = inner(def.valueType!);
      return mixed(walk, fc.dictionary(key, value, { maxKeys: 5, noNullPrototype: true }), fc.dictionary(fc.string({ maxLength: 8 }), value, { minKeys: 60, maxKeys: 80, noNullPrototype: true }));
    }
    case "union":
      return fc.oneof(...def.options!.map((option) => inner(option)));
    case "intersection":
      return fc.tuple(inner(def.left!), inner(def.right!)).map(([left, right]) => (isPlainObject(left) && isPlainObject(right) ? { ...left, ...right } : left));
    // Left out half the time: a well-formed case with every optional field given is seldom well-formed all through.
    case "optional":
      return fc.option(inner(def.innerType!), { nil: undefined, freq: 2 });
    case "nullable":
      return fc.option(inner(def.innerType!), { nil: null, freq: 2 });
    case "default":
    case "prefault":
      // Leaving it out is what gets the default.
      return fc.option(inner(def.innerType!), { nil: undefined, freq: 2 });
    case "catch":
    case "readonly":
    case "nonoptional":
    case "success":
      return inner(def.innerType!);
    case "lazy":
      return inner(def.getter!());
    case "pipe":
      // What a client sends is the pipe's input; a transform's output is the server's business. But
      // the input side of `z.string().trim().pipe(z.email())` is any string: the output side is
      // where an email comes from.
      return defOf(def.out!).type === "transform" ? inner(def.in!) : fc.oneof(inner(def.in!), inner(def.out!));
    default:
      // unknown, any, transform, custom and kinds this does not know: anything a client could send —
      // or, where the field is one the pools know, what the service behind it wants.
      return mixed(walk, known ?? json, anything);
  }
}

function lengthBounds(def: Def): { min: number; max?: number } {
  let min = 0;
  let max: number | undefined;
  for (const check of checksOf(def)) {
    if (check.check === "min_length") min = Math.max(min, check.minimum!);
    if (check.check === "max_length") max = Math.min(max ?? Infinity, check.maximum!);
    if (check.check === "length_equals") min = max = check.length!;
  }
  return { min, max };
}

function stringArbitrary(def: Def, { pools, field }: Walk): fc.Arbitrary<unknown> {
  const checks = checksOf(def);
  // z.uuid(), z.email()… carry their format on the schema itself; z.string().regex() as a check.
  const format = def.format ?? checks.find((check) => check.check === "string_format")?.format;
  if (format === "uuid" || format === "guid") return fc.oneof({ weight: 4, arbitrary: pools.ids(field) }, { weight: 1, arbitrary: fc.uuid() });
  if (format === "email") return fc.emailAddress();
  if (format === "datetime") return fc.date({ min: new Date("1970-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((date) => date.toISOString());
  const { min, max = Infinity } = lengthBounds(def);
  const fits = contentText.filter((text) => text.length >= min && text.length <= max);
  const text = fc.oneof(
    fc.string({ minLength: min, maxLength: Math.max(min, Math.min(max, LONGEST_TEXT)), unit: "grapheme" }),
    ...(fits.length > 0 ? [fc.constantFrom(...fits)] : []),
    // An opaque cursor is the server's own text handed back: what a client is most tempted to forge.
    ...(field && /cursor/i.test(field) ? [{ weight: 3, arbitrary: fc.constantFrom(...forgedCursors) }] : []),
  );
  const pattern = def.pattern ?? checks.find((check) => check.check === "string_format" && check.pattern)?.pattern;
  if (!pattern) return text;
  try {
    return fc.oneof({ weight: 3, arbitrary: fc.stringMatching(pattern) }, { weight: 1, arbitrary: text });
  } catch {
    // A pattern fast-check cannot generate from (lookarounds, backreferences): free text, most of it refused.
    return text;
  }
}

function numberArbitrary(def: Def): fc.Arbitrary<number> {
  const checks = checksOf(def);
  const integer = (def.format !== undefined && def.format !== "float32" && def.format !== "float64") || checks.some((check) => check.check === "number_format" && check.format !== "float32" && check.format !== "float64");
  let min = -Number.MAX_VALUE;
  let max = Number.MAX_VALUE;
  let minExcluded = false;
  let maxExcluded = false;
  for (const check of checks) {
    if (check.check === "greater_than" && typeof check.value === "number") [min, minExcluded] = [check.value, !check.inclusive];
    if (check.check === "less_than" && typeof check.value === "number") [max, maxExcluded] = [check.value, !check.inclusive];
  }
  if (integer) {
    const low = Math.max(Number.MIN_SAFE_INTEGER, Math.ceil(minExcluded ? min + 1 : min));
    const high = Math.min(Number.MAX_SAFE_INTEGER, Math.floor(maxExcluded ? max - 1 : max));
    return fc.integer({ min: low, max: Math.max(low, high) });
  }
  return fc.double({ min, max, minExcluded, maxExcluded, noNaN: true, noDefaultInfinity: true });
}

function dateArbitrary(def: Def): fc.Arbitrary<unknown> {
  const plausible = fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true });
  // A coercing date takes whatever `new Date(x)` takes: ISO text and epoch milliseconds too.
  return def.coerce ? fc.oneof(plausible, plausible.map((date) => date.toISOString()), plausible.map((date) => date.getTime())) : plausible;
}

function objectArbitrary(def: Def, inner: (child: Schema, key?: string) => fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> {
  const shape = def.shape ?? {};
  // A key is required unless its schema takes undefined (optional, default…); the others may be left out.
  const requiredKeys = Object.keys(shape).filter((key) => !acceptsUndefined(shape[key]!));
  const fields = Object.fromEntries(Object.entries(shape).map(([key, child]) => [key, inner(child, key)]));
  // Objects as a client's JSON arrives: with Object's prototype (fast-check also makes prototype-less ones).
  return fc.record(fields, { requiredKeys, noNullPrototype: true });
}

function acceptsUndefined(schema: Schema): boolean {
  try {
    const result = schema["~standard"].validate(undefined);
    return !(result instanceof Promise) && !result.issues;
  } catch {
    return false;
  }
}

/** The same object with a key nobody declared: `__proto__`, a constructor, or plain junk. */
function withExtraKey(value: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(fc.constantFrom("__proto__", "constructor", "prototype", "extra", "$where", ""), anything).map(([key, extra]) => {
    const copy: Record<string, unknown> = { ...value };
    Object.defineProperty(copy, key, { value: extra, enumerable: true, configurable: true, writable: true });
    return copy;
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
