import { widgetLimits, type SessionAnswer, type VisitorMessage, type WidgetConfig } from "@/lib/widget/protocol";
import { ApiError, createApi } from "./api";
import { createConversation } from "./conversation";
import { hostEvents } from "./host-events";
import type { PreChatAnswers } from "./pre-chat-form";
import type { Theme } from "./shell";
import { detectLocale, resolveStrings, type Locale, type Strings } from "./strings";
import { agentTyping, visitorTyping } from "./typing";
import { mountView, type View } from "./view";
import { visitorSession, type Identity } from "./visitor-session";
import { openVisitorSocket } from "./visitor-socket";
import { visitorStore } from "./visitor-store";

/**
 * The widget's behaviour: the channel's config, the visitor's session and
 * socket, the conversation, and what the host page asks for through
 * `window.SupportChat`. Drawing is left to the view, redrawn on a change of
 * language.
 */
export function createWidget(shadow: ShadowRoot, channel: { base: string; publicId: string }) {
  const events = hostEvents();
  const session = visitorSession(visitorStore(channel.publicId));
  const api = createApi(channel.base, channel.publicId, session.token);
  let locale: Locale = detectLocale(navigator.language);
  let theme: Theme = "auto";
  let config: WidgetConfig | null = null;
  let strings: Strings = resolveStrings(locale);
  let view: View | null = null;
  let open = false;
  let connected = true;
  let answer: SessionAnswer | null = null;
  let started: Promise<SessionAnswer> | null = null;
  let socket: ReturnType<typeof openVisitorSocket> | null = null;
  let preChatAnswers: PreChatAnswers | null = null;
  let contactSaved = false;
  let readUpTo: string | null = null;
  let identity: Identity | null = null;
  // Counts setUser and reset: a session started before one of them is dropped wherever it has got to.
  let visitorEpoch = 0;
  // Sessions wait for the first config (the socket needs its realtime URL); calls queued before the script loaded come first.
  let configReady: (config: WidgetConfig) => void = () => undefined;
  const configured = new Promise<WidgetConfig>((resolve) => (configReady = resolve));

  const redrawList = () => view?.setEntries(conversation.list(), conversation.agentReadAt());
  const conversation = createConversation(api, () => ensureSession(), redrawList, () => ({
    locale,
    referrer: document.referrer.slice(0, widgetLimits.url) || undefined,
  }));
  const typing = visitorTyping((value) => socket?.typing(value));
  const showAgentTyping = agentTyping((shown) => view?.setAgentTyping(shown));

  function showProblem(error: unknown): void {
    // An answer for whoever was there before setUser or reset: not this visitor's problem.
    if (error instanceof ApiError && error.code === "SUPERSEDED") return;
    view?.notice(error instanceof ApiError && error.message ? error.message : strings.unavailable);
  }

  function needsPreChat(): boolean {
    if (!config?.preChat.enabled || preChatAnswers || !conversation.isEmpty()) return false;
    return answer ? answer.conversationId === null : session.token() === null;
  }

  function refreshForms(): void {
    view?.askPreChat(needsPreChat() ? { name: answer?.visitor.name ?? undefined, email: answer?.visitor.email ?? undefined } : null);
    view?.setAway(!contactSaved && !answer?.visitor.email);
  }

  /** Tells the team the visitor has seen their newest message, when the panel is open in a visible tab. */
  function markRead(): void {
    if (!answer || !view?.isOpen() || document.visibilityState !== "visible") return;
    const newest = conversation.lastTeamMessageId();
    if (!newest || newest === readUpTo) return;
    readUpTo = newest;
    api.read().catch(() => (readUpTo = null));
  }

  function received(message: VisitorMessage, kind: "created" | "updated"): void {
    const isNew = conversation.receive(message);
    if (kind !== "created" || !isNew || message.author === "visitor") return;
    showAgentTyping(false);
    events.emit("message", message);
    markRead();
  }

  function connect(realtimeUrl: string): void {
    socket ??= openVisitorSocket(realtimeUrl, () => answer?.socketToken ?? "", renewSession, {
      message: received,
      typing: showAgentTyping,
      read: (at) => conversation.read(at),
      resync: () => void conversation.load().then(markRead, () => undefined),
      connected(resumed) {
        connected = true;
        view?.setConnected(true);
        // Without an event to resume from, anything written between the page load and now came over no socket.
        if (!resumed && !conversation.isEmpty()) void conversation.load().then(markRead, () => undefined);
      },
      disconnected() {
        connected = false;
        view?.setConnected(false);
      },
    });
  }

  /** A new socket token for the same visitor (`TOKEN_EXPIRED`). */
  async function renewSession(): Promise<void> {
    const previous = answer?.visitorToken;
    const next = await session.start(api, locale);
    answer = next;
    // The stored visitor was refused and a new one began: what was shown is someone else's now.
    if (previous && next.visitorToken !== previous) conversation.clear();
  }

  async function startSession(): Promise<SessionAnswer> {
    const mine = visitorEpoch;
    const superseded = () => new ApiError(0, "SUPERSEDED", "");
    const { realtimeUrl } = await configured;
    const next = await session.start(api, locale);
    if (mine !== visitorEpoch) throw superseded();
    answer = next;
    if (next.conversationId) await conversation.load().catch(showProblem);
    // setUser or reset while the thread loaded: the new visitor's session connects, not this one.
    if (mine !== visitorEpoch) throw superseded();
    connect(realtimeUrl);
    refreshForms();
    markRead();
    return next;
  }

  function ensureSession(): Promise<SessionAnswer> {
    if (started) return started;
    const attempt: Promise<SessionAnswer> = startSession().catch((error: unknown): Promise<SessionAnswer> => {
      // A failed start may be tried again, unless setUser has begun another meanwhile.
      if (started === attempt) started = null;
      // setUser began another session while this one was asked for: who waited on this one waits on that one,
      // so its answer (a refused identity, say) is what they see, not an error of a session nobody wants now.
      // With none under way (it failed already, or reset wants none until the panel opens), nothing starts here.
      if (error instanceof ApiError && error.code === "SUPERSEDED" && started) return started;
      throw error;
    });
    started = attempt;
    return attempt;
  }

  function applyOpen(): void {
    if (!view || view.isOpen() === open) return;
    view.setOpen(open);
    events.emit(open ? "open" : "close");
    if (open) ensureSession().then(markRead, showProblem);
    else typing.stop();
  }

  function draw(): void {
    if (!config) return;
    const draft = view?.draft() ?? "";
    const wasOpen = view?.isOpen() ?? false;
    view = mountView(shadow, config, strings, theme, {
      toggle(next) {
        open = next;
        applyOpen();
      },
      send(text, files) {
        void conversation.send(text, files, preChatAnswers ?? undefined).then((sent) => {
          if (sent) preChatAnswers = null;
        });
      },
      typing: typing.input,
      stopTyping: typing.stop,
      retry: conversation.retry,
      preChat(answers) {
        preChatAnswers = answers;
        refreshForms();
        view?.focus();
      },
      async contact(email) {
        try {
          await ensureSession();
          await api.contact({ email, name: preChatAnswers?.name ?? answer?.visitor.name ?? undefined });
          contactSaved = true;
          return null;
        } catch (error) {
          return error instanceof ApiError ? error.message : "";
        }
      },
      loadOlder: () => void conversation.loadOlder().catch(() => undefined),
    });
    view.restore(draft);
    view.setConnected(connected);
    refreshForms();
    redrawList();
    // Drawn anew while open (a change of language): open again without telling the host a second time.
    if (wasOpen && open) view.setOpen(true);
    else applyOpen();
  }

  function loadConfig(): Promise<WidgetConfig> {
    return api.config(locale).then((next) => {
      config = next;
      strings = resolveStrings(locale, next.strings);
      draw();
      configReady(next);
      return next;
    });
  }

  document.addEventListener("visibilitychange", markRead);

  return {
    start(): void {
      loadConfig().catch((error: unknown) => {
        // The site's developer learns why the widget is missing only here: a wrong channel id, an origin not allowed.
        // eslint-disable-next-line no-console -- the browser console is the integrator's only log
        console.warn("Support Chat: the widget is off:", error instanceof ApiError ? `${error.code} ${error.message}` : error);
      });
      // A returning visitor's conversation is loaded now, so its messages reach on("message") and the panel opens on them.
      if (session.token()) ensureSession().catch(() => undefined);
    },
    setUser(next: Identity): void {
      if (typeof next?.identifier !== "string" || typeof next.identifierHash !== "string") return;
      // Hosts often call this on every route change: the same user keeps the session they have.
      if (identity && JSON.stringify(identity) === JSON.stringify(next)) return;
      identity = next;
      visitorEpoch++;
      session.identify(next);
      socket?.close();
      socket = null;
      answer = null;
      started = null;
      readUpTo = null;
      conversation.clear();
      ensureSession().catch(showProblem);
    },
    /** The host's user signed out: their conversation leaves this browser; the next visitor starts anew. */
    reset(): void {
      identity = null;
      visitorEpoch++;
      session.reset();
      socket?.close();
      socket = null;
      answer = null;
      started = null;
      readUpTo = null;
      preChatAnswers = null;
      contactSaved = false;
      conversation.clear();
      typing.stop();
      refreshForms();
      if (view?.isOpen()) ensureSession().then(markRead, showProblem);
    },
    setLocale(next: Locale): void {
      if (next === locale) return;
      locale = next;
      if (config) loadConfig().catch(showProblem);
    },
    setTheme(next: Theme): void {
      theme = next;
      view?.setTheme(next);
    },
    open(): void {
      open = true;
      applyOpen();
    },
    close(): void {
      open = false;
      applyOpen();
    },
    on: events.on,
  };
}

export type Widget = ReturnType<typeof createWidget>;
