import { widgetLimits, type SessionAnswer, type SessionRequest } from "@/lib/widget/protocol";
import { ApiError, type Api } from "./api";
import type { StoredVisitor, VisitorStore } from "./visitor-store";

/** The host site's signed-in user, from `SupportChat.setUser`. */
export type Identity = { identifier: string; identifierHash: string; name?: string; email?: string };

/**
 * Who this browser is to the channel: the stored visitor token, the identity
 * the host page vouches for, and the `POST /session` that turns them into a
 * fresh socket token.
 */
export function visitorSession(store: VisitorStore) {
  let stored: StoredVisitor | null = store.read();
  let identity: Identity | null = null;
  // Counts setUser and reset calls: an answer to a session asked for before one of them is nobody's now.
  let generation = 0;

  function forget(): void {
    store.drop();
    stored = null;
  }

  function request(locale: string): SessionRequest {
    return {
      visitorToken: stored?.token,
      locale,
      pageUrl: location.href.slice(0, widgetLimits.url),
      referrer: document.referrer.slice(0, widgetLimits.url) || undefined,
      ...identity,
    };
  }

  return {
    token: () => stored?.token ?? null,
    /**
     * A token another signed-in user was given is dropped; an anonymous one is
     * kept, so what the visitor wrote before signing in stays theirs.
     */
    identify(next: Identity): void {
      identity = next;
      generation++;
      if (stored?.identifier != null && stored.identifier !== next.identifier) forget();
    },
    /** The site's user signed out: this browser forgets them, and whoever comes next starts as a new visitor. */
    reset(): void {
      identity = null;
      generation++;
      forget();
    },
    async start(api: Api, locale: string): Promise<SessionAnswer> {
      const asked = generation;
      let answer: SessionAnswer;
      try {
        answer = await api.session(request(locale));
      } catch (error) {
        // The stored token is no longer honoured (expired, revoked, another channel's): begin as a new visitor.
        // A 401 about the identity (a wrong identifierHash) is the host's to fix; the visitor keeps their token.
        const tokenRefused = error instanceof ApiError && error.status === 401 && error.code !== "IDENTITY_NOT_VERIFIED";
        if (!tokenRefused || !stored) throw error;
        forget();
        answer = await api.session(request(locale));
      }
      // setUser or reset came in meanwhile: this answer is for whoever was there before and must not be kept.
      if (generation !== asked) throw new ApiError(0, "SUPERSEDED", "");
      stored = { token: answer.visitorToken, identifier: identity?.identifier ?? stored?.identifier ?? null };
      store.write(stored);
      return answer;
    },
  };
}
