import pg from "pg";
import { describe, expect, it } from "vitest";
import { freePort } from "@/server/test/free-port";
import { isTransientError } from "./is-transient-error";

const databaseError = (code: string) => Object.assign(new pg.DatabaseError("failed", 0, "error"), { code });
const systemError = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

describe("isTransientError", () => {
  it("calls the database's own state transient: connections, resources, shutdown, serialization, deadlock, login", () => {
    for (const code of ["08006", "08001", "53300", "53100", "57P01", "57P03", "58030", "40001", "40P01", "55P03", "28000", "28P01", "3D000"]) {
      expect(isTransientError(databaseError(code)), code).toBe(true);
    }
    for (const code of ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EPIPE"]) expect(isTransientError(systemError(code)), code).toBe(true);
    expect(isTransientError(new AggregateError([systemError("ECONNREFUSED")]))).toBe(true);
    for (const message of ["Connection terminated unexpectedly", "timeout exceeded when trying to connect", "Connection terminated due to connection timeout"]) {
      expect(isTransientError(new Error(message)), message).toBe(true);
    }
  });

  it("calls the data's failures permanent: data exceptions, constraints, our own errors on odd input", () => {
    for (const code of ["22P05", "22021", "22P02", "23505", "23514", "23503", "42703", "P0001", "XX000"]) {
      expect(isTransientError(databaseError(code)), code).toBe(false);
    }
    expect(isTransientError(new TypeError("Cannot read properties of undefined"))).toBe(false);
    expect(isTransientError(new RangeError("Invalid time value"))).toBe(false);
    expect(isTransientError(Object.assign(new TypeError("bad argument"), { code: "ERR_INVALID_ARG_TYPE" }))).toBe(false);
    expect(isTransientError(new Error("something else"))).toBe(false);
    expect(isTransientError("a string")).toBe(false);
  });

  it("recognises what node-postgres really throws when the server is gone", async () => {
    const pool = new pg.Pool({ connectionString: `postgres://x:y@127.0.0.1:${await freePort()}/x` });
    const error = await pool.query("SELECT 1").catch((caught: unknown) => caught);
    await pool.end();
    expect(isTransientError(error)).toBe(true);
  });
});
