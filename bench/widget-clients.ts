import { io, type Socket } from "socket.io-client";
import { percentile, round } from "./support";

/**
 * The sockets of `npm run bench -- widget`, in their own process: V website
 * visitors on the realtime server's `/visitor` namespace (from the widget's
 * page origin, resuming from their last event after a drop, as the widget
 * does) and one agent of the workspace on the default namespace, each noting
 * when every bench message reaches it. Over IPC: { connect } → "connected",
 * { progress } → how many have arrived, then { finish } with when each
 * message was sent → the figures.
 */

type Start = { url: string; origin: string; visitorTokens: string[]; agentToken: string; concurrency: number };
/** Per message key, when its send began and when the call answered (the visitor's POST, or sendMessage's commit). */
type Sent = Record<string, [start: number, answered: number]>;
type Finish = { visitorMessages: Sent; agentReplies: Sent };

const now = () => performance.timeOrigin + performance.now();
/** Per key, when each copy arrived (more than one is a duplicate). */
const atAgent = new Map<string, number[]>();
const atVisitor = new Map<string, number[]>();
/** The agent's own replies, as the agent's socket sees them: tells a reply the log never carried from one a visitor's socket missed. */
const repliesAtAgent = new Set<string>();
let misdelivered = 0;
let disconnects = 0;
const sockets: Socket[] = [];

/** "bench 12.3" / "reply 12.3": visitor 12's message 3, and the agent's answer to it. */
const keyOf = (text: unknown, prefix: string) => (typeof text === "string" && text.startsWith(prefix) ? text.slice(prefix.length) : null);

function note(received: Map<string, number[]>, key: string, at: number) {
  const times = received.get(key);
  if (times) times.push(at);
  else received.set(key, [at]);
}

/** A socket that resumes from the last event it saw when it reconnects, as the widget and the inbox do. */
function resumingSocket(url: string, token: string, extraHeaders: Record<string, string>): { socket: Socket; saw: (eventId: unknown) => void } {
  let lastEventId: string | undefined;
  const socket = io(url, {
    auth: (callback) => callback(lastEventId === undefined ? { token } : { token, lastEventId }),
    transports: ["websocket"],
    extraHeaders,
    forceNew: true,
    reconnectionDelay: 500,
  });
  socket.on("sync", (payload: { lastEventId?: string | null }) => {
    if (payload.lastEventId) lastEventId = payload.lastEventId;
  });
  socket.on("disconnect", () => void disconnects++);
  return { socket, saw: (eventId) => void (typeof eventId === "string" && (lastEventId = eventId)) };
}

function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once("sync", () => resolve());
    socket.once("connect_error", reject);
  });
}

async function connectAll(start: Start): Promise<void> {
  const agent = resumingSocket(start.url, start.agentToken, {});
  agent.socket.on("message.created", (event: { eventId: string; data: { message: { text: string | null } } }) => {
    const at = now();
    agent.saw(event.eventId);
    const key = keyOf(event.data.message.text, "bench ");
    if (key) note(atAgent, key, at);
    const replied = keyOf(event.data.message.text, "reply ");
    if (replied) repliesAtAgent.add(replied);
  });
  await connected(agent.socket);
  sockets.push(agent.socket);

  let next = 0;
  const one = async (index: number) => {
    const visitor = resumingSocket(`${start.url}/visitor`, start.visitorTokens[index]!, { origin: start.origin });
    visitor.socket.on("message.created", (payload: { eventId: string; message: { author: string; text: string | null } }) => {
      const at = now();
      visitor.saw(payload.eventId);
      if (payload.message.author !== "agent") return;
      const key = keyOf(payload.message.text, "reply ");
      if (!key) return;
      if (Number(key.split(".")[0]) !== index) return void misdelivered++;
      note(atVisitor, key, at);
    });
    await connected(visitor.socket);
    sockets.push(visitor.socket);
  };
  await Promise.all(
    Array.from({ length: start.concurrency }, async () => {
      while (next < start.visitorTokens.length) await one(next++);
    }),
  );
}

function figures(sent: Sent, received: Map<string, number[]>) {
  const fromSend: number[] = [];
  const fromAnswer: number[] = [];
  /** Each visitor's first message (key "<visitor>.0"): the one that opens their contact and conversation. */
  const openingFromSend: number[] = [];
  const lost: string[] = [];
  let duplicated = 0;
  for (const [key, [start, answered]] of Object.entries(sent)) {
    const times = received.get(key);
    if (!times) {
      lost.push(key);
      continue;
    }
    duplicated += times.length - 1;
    fromSend.push(times[0]! - start);
    if (key.endsWith(".0")) openingFromSend.push(times[0]! - start);
    fromAnswer.push(times[0]! - answered);
  }
  const unexpected = [...received.keys()].filter((key) => !(key in sent)).length;
  const summary = (values: number[]) => {
    const sorted = Float64Array.from(values).sort();
    return { p50Ms: round(percentile(sorted, 50)), p95Ms: round(percentile(sorted, 95)), p99Ms: round(percentile(sorted, 99)), maxMs: round(sorted.at(-1) ?? 0) };
  };
  return { messages: Object.keys(sent).length, received: fromSend.length, lost, duplicated, unexpected, fromSend: summary(fromSend), fromAnswer: summary(fromAnswer), openingFromSend: summary(openingFromSend) };
}

process.on("message", (message: { connect?: Start; progress?: true; finish?: Finish }) => {
  if (message.progress) process.send!({ progress: { agent: atAgent.size, visitors: atVisitor.size } });
  if (message.connect) {
    connectAll(message.connect).then(
      () => process.send!({ connected: sockets.length }),
      (error: unknown) => process.send!({ error: String(error) }),
    );
  }
  if (message.finish) {
    // Lost messages by count, and the first few by key (for the bench to look up in the log).
    const reported = ({ lost, ...rest }: ReturnType<typeof figures>) => ({ ...rest, lost: lost.length, lostKeys: lost.slice(0, 20) });
    const replies = figures(message.finish.agentReplies, atVisitor);
    process.send!({
      figures: {
        visitorToAgent: reported(figures(message.finish.visitorMessages, atAgent)),
        agentToVisitor: { ...reported(replies), misdelivered, lostButSeenByAgent: replies.lost.filter((key) => repliesAtAgent.has(key)).length },
        disconnects,
      },
    });
    for (const socket of sockets) socket.close();
    setTimeout(() => process.exit(0), 100);
  }
});
