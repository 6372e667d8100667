import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import busboy from "busboy";

/**
 * A Telegram Bot API emulator: the subset of the Bot API the product uses,
 * behaving as Telegram does where it matters (the secret header on webhook
 * deliveries, retries with backoff, one update per chat at a time, 409 from
 * getUpdates while a webhook is set, 429 with retry_after past its rate limits,
 * 403 from a customer who blocked the bot), plus a control API to act as
 * customers, read what bots sent, and script faults.
 */

type Json = Record<string, unknown>;
type Chat = { id: number; type: "private" | "group" | "supergroup"; title?: string; is_forum?: boolean; first_name?: string; username?: string };
type User = { id: number; is_bot: false; first_name: string; last_name?: string; username?: string; language_code?: string };
export type Update = { update_id: number } & Json;
export type SentMessage = { method: string; chat_id: number; message_id: number; text?: string; caption?: string; parse_mode?: string; message_thread_id?: number; reply_to_message_id?: number; file?: { name: string; size: number; type: string }; media?: unknown; media_group_id?: string; at: number };
type Fault = { method: string; kind: "429" | "403" | "500" | "slow" | "drop" | "migrate"; count: number; retryAfter?: number; delayMs?: number; migrateTo?: number };

type Bot = {
  token: string;
  id: number;
  username: string;
  webhook?: { url: string; secret?: string; allowedUpdates?: string[]; lastErrorDate?: number; lastErrorMessage?: string };
  /** Updates not yet delivered or fetched, in order. */
  pending: Update[];
  /** Chats whose head update is being delivered right now (Telegram sends one per chat at a time). */
  inFlight: Set<number>;
  nextUpdateId: number;
  sent: SentMessage[];
  chatActions: { chat_id: number; action: string; message_thread_id?: number; at: number }[];
  /** Button presses sent to the bot, by callback id, and whether (and how) the bot answered them. */
  callbacks: Map<string, { answered?: { text?: string; at: number } }>;
  blockedBy: Set<number>;
  faults: Fault[];
  sendTimes: number[];
  chatSendTimes: Map<number, number[]>;
  pollWaiters: (() => void)[];
};

export type EmulatorOptions = {
  /** First webhook retry delay; Telegram's is about a second, tests shorten it. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Messages per second per bot before 429 (Telegram: about 30). */
  perBotPerSecond?: number;
  /** Messages per chat in any second before 429 (Telegram tolerates short bursts). */
  perChatPerSecond?: number;
};

export class TelegramEmulator {
  private server: Server;
  private bots = new Map<string, Bot>();
  private files = new Map<string, { path: string; bytes: Buffer; mime: string }>();
  private nextMessageId = new Map<number, number>();
  private timers = new Set<NodeJS.Timeout>();
  /** Updates queued as JSON text (pushRawUpdate), sent exactly as given. */
  private rawBodies = new WeakMap<Update, string>();
  private stopped = false;
  readonly options: Required<EmulatorOptions>;
  /** What customers wrote, for the chat page. */
  readonly customerLog: { token: string; chatId: number; messageId: number; text: string; at: number }[] = [];
  /** How often a bot was answered 429 because it sent too fast (not counting scripted faults). */
  rateLimitedResponses = 0;
  /** Every webhook delivery attempt, for tests. */
  readonly deliveries: { token: string; updateId: number; status: number; at: number }[] = [];
  url = "";

  constructor(options: EmulatorOptions = {}) {
    this.options = { retryBaseMs: 1000, retryMaxMs: 60_000, perBotPerSecond: 30, perChatPerSecond: 3, ...options };
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => this.reply(res, 500, { ok: false, error_code: 500, description: String(error) }));
    });
  }

  async start(port = 0, host = "127.0.0.1"): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, host, resolve));
    this.url = `http://${host}:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    for (const bot of this.bots.values()) for (const wake of bot.pollWaiters.splice(0)) wake();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- control: bots and customers -------------------------------------------------

  addBot(token = `${100000 + this.bots.size}:${randomBytes(12).toString("base64url")}`, username = `test_${this.bots.size}_bot`): Bot {
    const id = Number(token.split(":")[0]);
    const bot: Bot = {
      token, id, username, pending: [], inFlight: new Set(), nextUpdateId: 1000, sent: [], chatActions: [], callbacks: new Map(), blockedBy: new Set(), faults: [],
      sendTimes: [], chatSendTimes: new Map(), pollWaiters: [],
    };
    this.bots.set(token, bot);
    return bot;
  }

  bot(token: string): Bot {
    const bot = this.bots.get(token);
    if (!bot) throw new Error(`no bot with that token`);
    return bot;
  }

  /** Queues an update as Telegram would, and returns it. */
  pushUpdate(token: string, body: Json, updateId?: number): Update {
    const bot = this.bot(token);
    const update = { update_id: updateId ?? bot.nextUpdateId++, ...body } as Update;
    bot.pending.push(update);
    this.kick(bot);
    return update;
  }

  /**
   * Queues an update given as JSON text, delivered (and returned by getUpdates)
   * byte for byte: for bodies JSON.stringify cannot make, such as invalid JSON
   * (webhook only: getUpdates' answer must stay JSON) or nesting deeper than its
   * stack. `chatId` is the chat it is queued behind.
   */
  pushRawUpdate(token: string, json: string, updateId: number, chatId = 0): Update {
    const bot = this.bot(token);
    const update = { update_id: updateId, raw: { chat: { id: chatId } } } as Update;
    this.rawBodies.set(update, json);
    bot.pending.push(update);
    this.kick(bot);
    return update;
  }

  private messageId(chatId: number): number {
    const next = (this.nextMessageId.get(chatId) ?? 0) + 1;
    this.nextMessageId.set(chatId, next);
    return next;
  }

  /** A customer writes to the bot. `content` holds text or media fields of a Telegram Message. */
  customerMessage(token: string, input: { chat: Chat; from: User; content: Json; threadId?: number; mediaGroupId?: string; replyTo?: number }): Update {
    const messageId = this.messageId(input.chat.id);
    if (typeof input.content.text === "string") {
      this.customerLog.push({ token, chatId: input.chat.id, messageId, text: input.content.text, at: Date.now() });
    }
    const message = {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      chat: input.chat,
      from: input.from,
      ...(input.threadId ? { message_thread_id: input.threadId, is_topic_message: true } : {}),
      ...(input.mediaGroupId ? { media_group_id: input.mediaGroupId } : {}),
      ...(input.replyTo ? { reply_to_message: { message_id: input.replyTo, date: 0, chat: input.chat } } : {}),
      ...input.content,
    };
    return this.pushUpdate(token, { message });
  }

  customerEdit(token: string, input: { chat: Chat; from: User; messageId: number; content: Json }): Update {
    return this.pushUpdate(token, {
      edited_message: {
        message_id: input.messageId,
        date: Math.floor(Date.now() / 1000) - 10,
        edit_date: Math.floor(Date.now() / 1000),
        chat: input.chat,
        from: input.from,
        ...input.content,
      },
    });
  }

  /** The customer blocks (or unblocks) the bot: a my_chat_member update, and 403 on sends while blocked. */
  customerBlocks(token: string, user: User, blocked = true): Update {
    const bot = this.bot(token);
    if (blocked) bot.blockedBy.add(user.id);
    else bot.blockedBy.delete(user.id);
    const me = { id: bot.id, is_bot: true, first_name: bot.username, username: bot.username };
    return this.pushUpdate(token, {
      my_chat_member: {
        chat: { id: user.id, type: "private", first_name: user.first_name },
        from: user,
        date: Math.floor(Date.now() / 1000),
        old_chat_member: { user: me, status: blocked ? "member" : "kicked", ...(blocked ? {} : { until_date: 0 }) },
        new_chat_member: { user: me, status: blocked ? "kicked" : "member", ...(blocked ? { until_date: 0 } : {}) },
      },
    });
  }

  customerPressesButton(token: string, input: { chat: Chat; from: User; messageId: number; data: string; callbackId?: string }, updateId?: number): Update {
    const id = input.callbackId ?? randomBytes(8).toString("hex");
    const callbacks = this.bot(token).callbacks;
    if (!callbacks.has(id)) callbacks.set(id, {});
    return this.pushUpdate(
      token,
      {
        callback_query: {
          id,
          from: input.from,
          chat_instance: String(input.chat.id),
          data: input.data,
          message: { message_id: input.messageId, date: 0, chat: input.chat },
        },
      },
      updateId,
    );
  }

  /**
   * Stores a file the customer "uploaded" and returns its file_id. Its download
   * is answered with `mime` as its Content-Type: whatever the sender's app claimed.
   */
  addFile(bytes: Buffer, name: string, mime: string, folder = "documents"): { file_id: string; file_unique_id: string; file_size: number } {
    const fileId = `file-${randomBytes(8).toString("hex")}`;
    this.files.set(fileId, { path: `${folder}/${fileId}-${name}`, bytes, mime });
    return { file_id: fileId, file_unique_id: fileId.slice(5), file_size: bytes.length };
  }

  sent(token: string, chatId?: number): SentMessage[] {
    return this.bot(token).sent.filter((message) => chatId === undefined || message.chat_id === chatId);
  }

  fault(token: string, fault: Fault): void {
    this.bot(token).faults.push(fault);
  }

  // ---- webhook delivery -------------------------------------------------------------

  private kick(bot: Bot): void {
    for (const wake of bot.pollWaiters.splice(0)) wake();
    if (!bot.webhook || this.stopped) return;
    const chats = new Set<number>();
    for (const update of bot.pending) {
      const chat = chatOf(update);
      if (chats.has(chat) || bot.inFlight.has(chat)) continue;
      chats.add(chat);
      bot.inFlight.add(chat);
      void this.deliver(bot, update, 0);
    }
  }

  private async deliver(bot: Bot, update: Update, attempt: number): Promise<void> {
    const webhook = bot.webhook;
    if (!webhook || this.stopped) return bot.inFlight.delete(chatOf(update)) as unknown as void;
    let status = 0;
    let retryAfter: number | undefined;
    try {
      const response = await fetch(webhook.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(webhook.secret ? { "x-telegram-bot-api-secret-token": webhook.secret } : {}) },
        body: this.rawBodies.get(update) ?? JSON.stringify(update),
        signal: AbortSignal.timeout(60_000),
      });
      status = response.status;
      const header = response.headers.get("retry-after");
      retryAfter = header ? Math.min(3600, Number(header)) : undefined;
      await response.arrayBuffer();
    } catch (error) {
      webhook.lastErrorMessage = `Connection refused: ${(error as Error).message}`;
    }
    this.deliveries.push({ token: bot.token, updateId: update.update_id, status, at: Date.now() });
    if (status >= 200 && status < 300) {
      bot.pending.splice(bot.pending.indexOf(update), 1);
      bot.inFlight.delete(chatOf(update));
      this.kick(bot);
      return;
    }
    if (status) webhook.lastErrorMessage = `Wrong response from the webhook: ${status}`;
    webhook.lastErrorDate = Math.floor(Date.now() / 1000);
    const delay = retryAfter !== undefined ? retryAfter * 1000 : Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** attempt);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.deliver(bot, update, attempt + 1);
    }, delay);
    this.timers.add(timer);
  }

  // ---- the Bot API ------------------------------------------------------------------

  private reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator");
    if (url.pathname === "/" || url.pathname.startsWith("/control/")) return this.control(req, res, url);
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) return this.download(res, file[1]!, decodeURIComponent(file[2]!));
    const call = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    if (!call) return this.reply(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    const bot = this.bots.get(decodeURIComponent(call[1]!));
    if (!bot) return this.reply(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
    const params = await readParams(req, url);
    const method = call[2]!;
    const fault = bot.faults.find((candidate) => candidate.method === method || candidate.method === "*");
    if (fault) {
      if (--fault.count <= 0) bot.faults.splice(bot.faults.indexOf(fault), 1);
      if (fault.kind === "slow") await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 5000));
      if (fault.kind === "drop") return void res.destroy();
      if (fault.kind === "429") {
        return this.reply(res, 429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${fault.retryAfter ?? 1}`, parameters: { retry_after: fault.retryAfter ?? 1 } });
      }
      if (fault.kind === "403") return this.reply(res, 403, { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" });
      if (fault.kind === "500") return this.reply(res, 500, { ok: false, error_code: 500, description: "Internal Server Error" });
      if (fault.kind === "migrate") {
        return this.reply(res, 400, { ok: false, error_code: 400, description: "Bad Request: group chat was upgraded to a supergroup chat", parameters: { migrate_to_chat_id: fault.migrateTo } });
      }
    }
    const result = await this.method(bot, method, params);
    if ("error" in result) return this.reply(res, result.error.error_code, { ok: false, ...result.error });
    if (method === "getUpdates") {
      const updates = (result.ok as Update[]).map((update) => this.rawBodies.get(update) ?? JSON.stringify(update));
      return void res.writeHead(200, { "content-type": "application/json" }).end(`{"ok":true,"result":[${updates.join(",")}]}`);
    }
    this.reply(res, 200, { ok: true, result: result.ok });
  }

  private rateLimited(bot: Bot, chatId: number): number | undefined {
    const now = Date.now();
    bot.sendTimes = bot.sendTimes.filter((at) => now - at < 1000);
    const chatTimes = (bot.chatSendTimes.get(chatId) ?? []).filter((at) => now - at < 1000);
    if (bot.sendTimes.length >= this.options.perBotPerSecond || chatTimes.length >= this.options.perChatPerSecond) return 1;
    bot.sendTimes.push(now);
    chatTimes.push(now);
    bot.chatSendTimes.set(chatId, chatTimes);
    return undefined;
  }

  private async method(bot: Bot, method: string, p: Json): Promise<{ ok: unknown } | { error: { error_code: number; description: string; parameters?: Json } }> {
    const me = { id: bot.id, is_bot: true, first_name: bot.username, username: bot.username, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };
    switch (method) {
      case "getMe":
        return { ok: me };
      case "setWebhook": {
        const url = String(p.url ?? "");
        if (!url) return { ok: this.deleteWebhook(bot) };
        const secret = p.secret_token === undefined ? undefined : String(p.secret_token);
        if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) return { error: { error_code: 400, description: "Bad Request: secret token contains unallowed characters" } };
        bot.webhook = { url, secret, allowedUpdates: parseList(p.allowed_updates) };
        if (p.drop_pending_updates === true || p.drop_pending_updates === "true") bot.pending = [];
        this.kick(bot);
        return { ok: true };
      }
      case "deleteWebhook":
        return { ok: this.deleteWebhook(bot) };
      case "getWebhookInfo":
        return {
          ok: {
            url: bot.webhook?.url ?? "",
            has_custom_certificate: false,
            pending_update_count: bot.pending.length,
            ...(bot.webhook?.allowedUpdates ? { allowed_updates: bot.webhook.allowedUpdates } : {}),
            ...(bot.webhook?.lastErrorDate ? { last_error_date: bot.webhook.lastErrorDate, last_error_message: bot.webhook.lastErrorMessage } : {}),
          },
        };
      case "getUpdates": {
        if (bot.webhook) return { error: { error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" } };
        const offset = Number(p.offset ?? 0);
        if (offset) bot.pending = bot.pending.filter((update) => update.update_id >= offset);
        const timeout = Math.min(Number(p.timeout ?? 0), 50) * 1000;
        if (bot.pending.length === 0 && timeout > 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, timeout);
            bot.pollWaiters.push(() => (clearTimeout(timer), resolve()));
          });
        }
        return { ok: bot.pending.slice(0, Number(p.limit ?? 100)) };
      }
      case "sendChatAction":
        bot.chatActions.push({ chat_id: Number(p.chat_id), action: String(p.action), message_thread_id: p.message_thread_id === undefined ? undefined : Number(p.message_thread_id), at: Date.now() });
        return { ok: true };
      case "answerCallbackQuery": {
        // The customer's app shows a spinner on the button until this arrives (or gives up).
        const callback = bot.callbacks.get(String(p.callback_query_id));
        if (!callback || callback.answered) return { error: { error_code: 400, description: "Bad Request: query is too old and response timeout expired or query ID is invalid" } };
        callback.answered = { text: p.text === undefined ? undefined : String(p.text), at: Date.now() };
        return { ok: true };
      }
      case "getFile": {
        const stored = this.files.get(String(p.file_id));
        if (!stored) return { error: { error_code: 400, description: "Bad Request: invalid file_id" } };
        return { ok: { file_id: p.file_id, file_unique_id: String(p.file_id).slice(5), file_size: stored.bytes.length, file_path: stored.path } };
      }
      case "deleteMessage":
        return { ok: true };
      case "editMessageText": {
        const chatId = Number(p.chat_id);
        const sent = bot.sent.find((message) => message.chat_id === chatId && message.message_id === Number(p.message_id));
        if (!sent) return { error: { error_code: 400, description: "Bad Request: message to edit not found" } };
        if (sent.text === p.text) return { error: { error_code: 400, description: "Bad Request: message is not modified" } };
        sent.text = String(p.text);
        return { ok: { message_id: sent.message_id, chat: { id: chatId }, date: Math.floor(Date.now() / 1000), text: sent.text } };
      }
      case "sendMessage":
      case "sendPhoto":
      case "sendDocument":
      case "sendMediaGroup": {
        const chatId = Number(p.chat_id);
        if (!Number.isFinite(chatId)) return { error: { error_code: 400, description: "Bad Request: chat not found" } };
        if (bot.blockedBy.has(chatId)) return { error: { error_code: 403, description: "Forbidden: bot was blocked by the user" } };
        if (method === "sendMessage" && (!p.text || String(p.text).length > 4096)) return { error: { error_code: 400, description: "Bad Request: message text is empty or too long" } };
        const limited = this.rateLimited(bot, chatId);
        if (limited) this.rateLimitedResponses++;
        if (limited) return { error: { error_code: 429, description: `Too Many Requests: retry after ${limited}`, parameters: { retry_after: limited } } };
        // An album's items name their files as attach://<field>, each uploaded in its own multipart field.
        type MediaItem = { type: string; media: unknown; caption?: string };
        const items: (MediaItem | null)[] = method === "sendMediaGroup" ? ((parseList(p.media) as unknown as MediaItem[] | undefined) ?? []) : [null];
        if (method === "sendMediaGroup") {
          if (items.length < 2 || items.length > 10) return { error: { error_code: 400, description: "Bad Request: wrong number of media in the album: must be 2-10" } };
          const kinds = new Set(items.map((item) => (item!.type === "document" ? "document" : "visual")));
          if (kinds.size > 1) return { error: { error_code: 400, description: "Bad Request: documents can't be mixed with other media types" } };
        }
        const mediaGroupId = method === "sendMediaGroup" ? randomBytes(6).toString("hex") : undefined;
        const results = items.map((item) => {
          const attached = (value: unknown) => (typeof value === "string" && value.startsWith("attach://") ? p[value.slice("attach://".length)] : value);
          const upload = item ? attached(item.media) : (p.photo ?? p.document);
          const kind = item ? item.type : method === "sendPhoto" ? "photo" : method === "sendDocument" ? "document" : "text";
          const message: SentMessage = {
            method,
            chat_id: chatId,
            message_id: this.messageId(chatId),
            text: p.text === undefined ? undefined : String(p.text),
            caption: item?.caption ?? (p.caption === undefined ? undefined : String(p.caption)),
            parse_mode: p.parse_mode === undefined ? undefined : String(p.parse_mode),
            message_thread_id: p.message_thread_id === undefined ? undefined : Number(p.message_thread_id),
            reply_to_message_id: replyTarget(p),
            file: fileInfo(upload),
            media: item ?? undefined,
            media_group_id: mediaGroupId,
            at: Date.now(),
          };
          bot.sent.push(message);
          // An uploaded file gets a file_id, as on Telegram, so it can be fetched again.
          const fileId = upload instanceof File ? this.storeSent(upload).file_id : String(upload);
          return {
            message_id: message.message_id,
            date: Math.floor(message.at / 1000),
            chat: { id: chatId, type: "private" },
            ...(message.text ? { text: message.text } : {}),
            ...(mediaGroupId ? { media_group_id: mediaGroupId } : {}),
            ...(kind === "photo" ? { photo: [{ file_id: fileId, file_unique_id: "u", width: 800, height: 600 }] } : {}),
            ...(kind === "document" ? { document: { file_id: fileId, file_unique_id: "u", file_name: message.file?.name } } : {}),
          };
        });
        return { ok: method === "sendMediaGroup" ? results : results[0] };
      }
      default:
        return { error: { error_code: 404, description: "Not Found: method not found" } };
    }
  }

  /** The chat page and its small API: act as a customer of a bot in the browser. */
  private async control(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (url.pathname === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(chatPage);
      return;
    }
    if (url.pathname === "/control/health") return this.reply(res, 200, { ok: true });
    if (url.pathname === "/control/bots" && req.method === "POST") {
      // A new bot, as @BotFather makes one: its token is what an admin pastes into the Channels page.
      const body = (await readParams(req, url)) as ControlBody;
      const username = typeof body.username === "string" && /^\w{5,32}_?bot$/i.test(body.username) ? body.username : `test_${this.bots.size}_bot`;
      if ([...this.bots.values()].some((bot) => bot.username === username)) return this.reply(res, 409, { error: `@${username} exists` });
      const bot = this.addBot(`${7_000_000_000 + this.bots.size}:${randomBytes(27).toString("base64url")}`, username);
      return this.reply(res, 200, { token: bot.token, username: bot.username, id: bot.id });
    }
    if (url.pathname === "/control/bots") return this.reply(res, 200, [...this.bots.values()].map((bot) => ({ username: bot.username, id: bot.id })));
    // A scripted fault: Telegram delivers an update the product cannot take (a body given as text, sent as it is
    // after the update_id the emulator puts first), queued behind `chatId`'s updates.
    const raw = /^\/control\/bots\/(\w+)\/updates$/.exec(url.pathname);
    if (raw && req.method === "POST") {
      const target = [...this.bots.values()].find((candidate) => candidate.username === raw[1]);
      const body = (await readParams(req, url)) as { json?: unknown; chatId?: unknown };
      if (!target || typeof body.json !== "string" || !body.json.startsWith("{")) return this.reply(res, 400, { error: "name a bot, and give json: the rest of an update as a JSON object's text" });
      const updateId = target.nextUpdateId++;
      const rest = body.json.slice(1).trim();
      this.pushRawUpdate(target.token, `{"update_id":${updateId}${rest === "}" ? "" : ","}${rest}`, updateId, Number(body.chatId) || 0);
      return this.reply(res, 200, { ok: true, updateId });
    }
    const chat = /^\/control\/bots\/(\w+)\/chats\/(\d+)(\/messages|\/edits|\/buttons|\/block)?$/.exec(url.pathname);
    const bot = chat ? [...this.bots.values()].find((candidate) => candidate.username === chat[1]) : undefined;
    if (!chat || !bot) return this.reply(res, 404, { error: "no such bot or chat" });
    const chatId = Number(chat[2]);
    if (req.method === "GET") {
      const fromCustomer = this.customerLog.filter((m) => m.token === bot.token && m.chatId === chatId).map((m) => ({ from: "customer", messageId: m.messageId, text: m.text, at: m.at }));
      const fromBot = bot.sent
        .filter((m) => m.chat_id === chatId)
        .map((m) => ({ from: "bot", messageId: m.message_id, method: m.method, text: shownText(m) ?? (m.file ? `(file ${m.file.name})` : "(file)"), file: m.file, mediaGroupId: m.media_group_id, at: m.at }));
      const callbacks = [...bot.callbacks].map(([id, callback]) => ({ id, answered: Boolean(callback.answered) }));
      return this.reply(res, 200, { blocked: bot.blockedBy.has(chatId), messages: [...fromCustomer, ...fromBot].sort((a, b) => a.at - b.at), callbacks });
    }
    const body = (await readParams(req, url)) as ControlBody;
    const name = String(body.name ?? "Customer").slice(0, 64) || "Customer";
    // A customer's profile, as their Telegram account has it (names are free text; the username is whatever the account shows).
    const lastName = typeof body.lastName === "string" && body.lastName ? body.lastName.slice(0, 64) : undefined;
    const customerUsername = typeof body.username === "string" && body.username ? body.username.slice(0, 32) : undefined;
    const user: User = { id: chatId, is_bot: false, first_name: name, language_code: "en", ...(lastName ? { last_name: lastName } : {}), ...(customerUsername ? { username: customerUsername } : {}) };
    const privateChat: Chat = { id: chatId, type: "private", first_name: name, ...(customerUsername ? { username: customerUsername } : {}) };
    const text = (value: unknown) => (typeof value === "string" ? value.slice(0, 4096) : undefined);
    switch (chat[3]) {
      case "/block":
        this.customerBlocks(bot.token, user, body.blocked !== false && body.blocked !== "false");
        return this.reply(res, 200, { ok: true });
      case "/edits": {
        if (!Number.isInteger(Number(body.messageId)) || text(body.text) === undefined) return this.reply(res, 400, { error: "messageId and text are required" });
        this.customerEdit(bot.token, { chat: privateChat, from: user, messageId: Number(body.messageId), content: { text: text(body.text) } });
        return this.reply(res, 200, { ok: true });
      }
      case "/buttons": {
        if (!Number.isInteger(Number(body.messageId)) || typeof body.data !== "string") return this.reply(res, 400, { error: "messageId and data are required" });
        const update = this.customerPressesButton(bot.token, { chat: privateChat, from: user, messageId: Number(body.messageId), data: body.data.slice(0, 64) });
        return this.reply(res, 200, { ok: true, callbackId: (update.callback_query as { id: string }).id });
      }
      default: {
        // Text, one file (base64, of any kind a customer can send), or an album of 2-10 files.
        const single = customerFileKinds.find((kind) => body[kind] !== undefined);
        const files = body.album ?? (single ? [{ ...body[single]!, kind: single }] : []);
        if (!text(body.text) && files.length === 0 && !sharedContent(body)) return this.reply(res, 400, { error: `send text, one of ${customerFileKinds.join(", ")}, an album, a contact, a location or a venue` });
        if (files.length > 10 || files.some((file) => typeof file.base64 !== "string" || typeof file.name !== "string" || !customerFileKinds.includes(file.kind))) {
          return this.reply(res, 400, { error: "files need a name, base64 content and a kind; an album holds at most 10" });
        }
        if (files.length > 1 && files.some((file) => file.kind === "voice" || file.kind === "sticker")) {
          return this.reply(res, 400, { error: "voice notes and stickers cannot be in an album" });
        }
        const mediaGroupId = files.length > 1 ? randomBytes(6).toString("hex") : undefined;
        const messageIds: number[] = [];
        // A shared contact card, a location, or a venue (a place with a title and address; Telegram sends its location too).
        const shared = sharedContent(body);
        if (shared) {
          messageIds.push((this.customerMessage(bot.token, { chat: privateChat, from: user, content: shared }).message as { message_id: number }).message_id);
          return this.reply(res, 200, { ok: true, messageIds });
        }
        if (files.length === 0) {
          messageIds.push((this.customerMessage(bot.token, { chat: privateChat, from: user, content: { text: text(body.text) } }).message as { message_id: number }).message_id);
        }
        files.forEach((file, i) => {
          const name = file.name.slice(0, 128);
          const stored = this.addFile(Buffer.from(file.base64, "base64"), name, file.mime ?? "application/octet-stream", fileFolders[file.kind]);
          const caption = i === 0 && text(body.text) && file.kind !== "sticker" ? { caption: text(body.text) } : {};
          const content = { [file.kind]: customerFileField(file.kind, stored, name, file.mime), ...caption };
          messageIds.push((this.customerMessage(bot.token, { chat: privateChat, from: user, content, mediaGroupId }).message as { message_id: number }).message_id);
        });
        return this.reply(res, 200, { ok: true, messageIds });
      }
    }
  }

  private storeSent(file: File): { file_id: string } {
    const fileId = `file-${randomBytes(8).toString("hex")}`;
    void file.arrayBuffer().then((bytes) => this.files.set(fileId, { path: `sent/${fileId}-${file.name}`, bytes: Buffer.from(bytes), mime: file.type }));
    return { file_id: fileId };
  }

  private deleteWebhook(bot: Bot): true {
    bot.webhook = undefined;
    bot.inFlight.clear();
    return true;
  }

  private download(res: ServerResponse, token: string, filePath: string): void {
    if (!this.bots.has(token)) return this.reply(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
    const stored = [...this.files.values()].find((candidate) => candidate.path === filePath);
    if (!stored) return this.reply(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    res.writeHead(200, { "content-type": stored.mime, "content-length": String(stored.bytes.length) }).end(stored.bytes);
  }
}

function chatOf(update: Update): number {
  const body = Object.values(update).find((value) => typeof value === "object" && value !== null) as Json | undefined;
  const chat = (body?.chat ?? (body?.message as Json | undefined)?.chat ?? body?.from) as { id?: number } | undefined;
  return chat?.id ?? 0;
}

/** What the customer's app shows of a sent message: HTML formatting applied, so tags gone and entities decoded. */
function shownText(message: SentMessage): string | undefined {
  const raw = message.text ?? message.caption;
  if (raw === undefined || message.parse_mode !== "HTML") return raw;
  return raw
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

/** What a customer can send as a file, each as Telegram delivers it. */
const customerFileKinds = ["photo", "document", "video", "voice", "audio", "sticker"] as const;
type CustomerFileKind = (typeof customerFileKinds)[number];

/** Telegram keeps each kind under its own folder of file paths. */
const fileFolders: Record<CustomerFileKind, string> = { photo: "photos", document: "documents", video: "videos", voice: "voice", audio: "music", sticker: "stickers" };

/**
 * The message field for a file of that kind, with the fields Telegram sends:
 * the sender's claimed mime_type where Telegram carries one (not for photos or
 * stickers), file_name where it has one (documents, videos and audio; never voice notes).
 */
function customerFileField(kind: CustomerFileKind, stored: { file_id: string; file_unique_id: string; file_size: number }, name: string, mime: string | undefined): Json | Json[] {
  const claimed = mime === undefined ? {} : { mime_type: mime };
  switch (kind) {
    case "photo":
      return [{ ...stored, width: 800, height: 600 }];
    case "document":
      return { ...stored, file_name: name, ...claimed };
    case "video":
      return { ...stored, width: 1280, height: 720, duration: 5, file_name: name, ...claimed };
    case "voice":
      return { ...stored, duration: 3, ...claimed };
    case "audio":
      return { ...stored, duration: 180, file_name: name, ...claimed };
    case "sticker":
      return { ...stored, type: "regular", width: 512, height: 512, is_animated: mime === "application/x-tgsticker", is_video: mime === "video/webm", emoji: "🙂" };
  }
}

type ControlFile = { name: string; base64: string; mime?: string };
type ControlBody = {
  name?: string;
  lastName?: string;
  username?: string;
  contact?: { phone?: unknown; firstName?: unknown; lastName?: unknown };
  location?: { latitude?: unknown; longitude?: unknown };
  venue?: { latitude?: unknown; longitude?: unknown; title?: unknown; address?: unknown };
  text?: string;
  blocked?: boolean | string;
  messageId?: number | string;
  data?: string;
  album?: (ControlFile & { kind: CustomerFileKind })[];
} & Partial<Record<CustomerFileKind, ControlFile>>;

/** The Telegram message fields of a contact card, location or venue in a control body, if it has one. */
function sharedContent(body: ControlBody): Json | undefined {
  const str = (value: unknown, max: number) => (typeof value === "string" ? value.slice(0, max) : undefined);
  const coordinate = (value: unknown, limit: number) => (typeof value === "number" && Math.abs(value) <= limit ? value : 0);
  if (body.contact) {
    return { contact: { phone_number: str(body.contact.phone, 32) ?? "", first_name: str(body.contact.firstName, 64) ?? "Contact", ...(str(body.contact.lastName, 64) ? { last_name: str(body.contact.lastName, 64) } : {}) } };
  }
  if (body.venue) {
    const location = { latitude: coordinate(body.venue.latitude, 90), longitude: coordinate(body.venue.longitude, 180) };
    return { location, venue: { location, title: str(body.venue.title, 128) ?? "", address: str(body.venue.address, 256) ?? "" } };
  }
  if (body.location) return { location: { latitude: coordinate(body.location.latitude, 90), longitude: coordinate(body.location.longitude, 180) } };
  return undefined;
}

function parseList(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value as string[];
  try {
    return JSON.parse(String(value)) as string[];
  } catch {
    return undefined;
  }
}

function replyTarget(p: Json): number | undefined {
  if (p.reply_to_message_id !== undefined) return Number(p.reply_to_message_id);
  const parameters = typeof p.reply_parameters === "string" ? (JSON.parse(p.reply_parameters) as Json) : (p.reply_parameters as Json | undefined);
  return parameters?.message_id === undefined ? undefined : Number(parameters.message_id);
}

function fileInfo(value: unknown): SentMessage["file"] {
  if (value instanceof File) return { name: value.name, size: value.size, type: value.type };
  if (typeof value === "string") return { name: value, size: 0, type: "file_id" };
  return undefined;
}

/** Multipart as grammY sends it (file uploads), parsed with busboy: fields as strings, files as File. */
function readMultipart(req: IncomingMessage): Promise<Json> {
  return new Promise((resolve, reject) => {
    const fields: Json = {};
    const pending: Promise<void>[] = [];
    const parser = busboy({ headers: req.headers });
    parser.on("field", (name, value) => (fields[name] = value));
    parser.on("file", (name, stream, info) => {
      const chunks: Buffer[] = [];
      pending.push(
        new Promise((done) => {
          stream.on("data", (chunk: Buffer) => chunks.push(chunk));
          stream.on("end", () => {
            fields[name] = new File([Buffer.concat(chunks)], info.filename ?? "file", { type: info.mimeType });
            done();
          });
        }),
      );
    });
    parser.on("error", reject);
    parser.on("close", () => void Promise.all(pending).then(() => resolve(fields)));
    req.pipe(parser);
  });
}

async function readParams(req: IncomingMessage, url: URL): Promise<Json> {
  const params: Json = Object.fromEntries(url.searchParams);
  if (req.method !== "POST") return params;
  const type = req.headers["content-type"] ?? "";
  if (type.includes("multipart/form-data")) {
    const fields = { ...params, ...(await readMultipart(req)) };
    // Bot API clients name an uploaded file with "attach://<part name>".
    for (const [key, value] of Object.entries(fields)) {
      if (typeof value === "string" && value.startsWith("attach://")) fields[key] = fields[value.slice("attach://".length)];
    }
    return fields;
  }
  const request = new Request(url, { method: "POST", headers: req.headers as Record<string, string>, body: Readable.toWeb(req) as ReadableStream, duplex: "half" } as RequestInit);
  if (type.includes("application/json")) return { ...params, ...((await request.json()) as Json) };
  if (type.includes("application/x-www-form-urlencoded")) {
    const form = await request.formData();
    for (const [key, value] of form.entries()) params[key] = value;
  }
  return params;
}

const chatPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Telegram emulator — customer chat</title>
<style>
  body{font-family:system-ui,sans-serif;margin:0;background:#e6ebee;color:#111;display:flex;justify-content:center}
  main{width:min(520px,100%);min-height:100vh;display:flex;flex-direction:column;background:#fff}
  header{padding:12px 16px;background:#517da2;color:#fff} header small{opacity:.8}
  .row{display:flex;gap:8px;padding:8px 16px;border-bottom:1px solid #eee;font-size:14px;align-items:center}
  #log{flex:1;overflow:auto;padding:16px;display:flex;flex-direction:column;gap:6px;background:#dfe8ef}
  .m{max-width:80%;padding:6px 10px;border-radius:10px;white-space:pre-wrap;word-break:break-word}
  .customer{align-self:flex-end;background:#effdde} .bot{align-self:flex-start;background:#fff}
  form{display:flex;gap:8px;padding:12px 16px;border-top:1px solid #ddd}
  input,select,button{font:inherit;padding:6px 10px} #text{flex:1}
</style></head>
<body><main>
<header><strong>Telegram emulator</strong><br><small>Chat with a bot as a customer; replies from the inbox appear here.</small></header>
<div class="row"><label>Bot <select id="bot"></select></label><label>You <input id="name" value="Alex Customer" size="14"></label><label>Chat id <input id="chat" size="10"></label></div>
<div id="log" aria-live="polite"></div>
<form id="form"><input id="text" placeholder="Write a message…" autocomplete="off" aria-label="Message"><button>Send</button></form>
</main>
<script>
const $ = (id) => document.getElementById(id);
$("chat").value = localStorage.chatId || String(200000000 + Math.floor(Math.random() * 1e6));
$("chat").onchange = () => (localStorage.chatId = $("chat").value);
localStorage.chatId = $("chat").value;
const esc = (t) => t.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]);
// Bots send Telegram HTML; show it as the Telegram app would (only its simple tags).
const html = (t) => t.replace(/&lt;|&gt;|&amp;/g, (e) => ({ "&lt;": "<", "&gt;": ">", "&amp;": "&" })[e]);
async function bots() {
  const list = await (await fetch("/control/bots")).json();
  $("bot").innerHTML = list.map((b) => "<option>" + esc(b.username) + "</option>").join("");
}
async function refresh() {
  if (!$("bot").value) return;
  const r = await fetch("/control/bots/" + $("bot").value + "/chats/" + $("chat").value);
  if (!r.ok) return;
  const { messages } = await r.json();
  $("log").innerHTML = messages.map((m) => '<div class="m ' + m.from + '">' + (m.from === "bot" ? esc(html(m.text)) : esc(m.text)) + "</div>").join("");
}
$("form").onsubmit = async (e) => {
  e.preventDefault();
  const text = $("text").value.trim();
  if (!text) return;
  $("text").value = "";
  await fetch("/control/bots/" + $("bot").value + "/chats/" + $("chat").value + "/messages", {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: $("name").value, text }),
  });
  refresh();
};
bots().then(refresh);
setInterval(refresh, 1000);
</script></body></html>`;
