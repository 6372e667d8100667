/**
 * The visitor's token in this browser, kept per channel in localStorage so the
 * conversation carries on across reloads and tabs. The identifier it was
 * issued for is kept with it: a different signed-in user must not inherit it.
 */
export type StoredVisitor = { token: string; identifier: string | null };

export type VisitorStore = ReturnType<typeof visitorStore>;

export function visitorStore(publicId: string) {
  const key = `supportchat:${publicId}:visitor`;
  return {
    read(): StoredVisitor | null {
      try {
        const value: unknown = JSON.parse(localStorage.getItem(key) ?? "null");
        const stored = value as Partial<StoredVisitor> | null;
        return typeof stored?.token === "string" ? { token: stored.token, identifier: typeof stored.identifier === "string" ? stored.identifier : null } : null;
      } catch {
        // Storage blocked (private mode, sandboxed frame) or a value of someone else's: start without.
        return null;
      }
    },
    write(visitor: StoredVisitor): void {
      try {
        localStorage.setItem(key, JSON.stringify(visitor));
      } catch {
        // Without storage the conversation lasts as long as the page does.
      }
    },
    drop(): void {
      try {
        localStorage.removeItem(key);
      } catch {
        // Nothing was stored then.
      }
    },
  };
}
