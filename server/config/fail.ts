/**
 * Ends a process with one line a person can act on, not a stack trace.
 * Used for problems the operator must fix (configuration, ports, data directory).
 */
export class StartupError extends Error {
  readonly lines: string[];

  constructor(lines: string | string[]) {
    const all = Array.isArray(lines) ? lines : [lines];
    super(all.join("\n"));
    this.name = "StartupError";
    this.lines = all;
  }
}

export function exitWith(lines: string | string[]): never {
  for (const line of Array.isArray(lines) ? lines : [lines]) console.error(`support-chat: ${line}`);
  process.exit(1);
}

/** Runs a process's main function; a StartupError ends it with its message, anything else with its stack. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof StartupError) exitWith(error.lines);
    console.error(error);
    process.exit(1);
  });
}
