import { io, type Socket } from "socket.io-client";
import { signRealtimeToken } from "@/server/realtime/token";
import { percentile } from "./support";

/**
 * The agents of `npm run bench -- realtime`, in their own process: S sockets
 * (one per agent), each noting when every event reaches it. Talks to the bench
 * over IPC: { connect } → "connected", then { finish, sentAt } → the figures.
 */
type Start = { url: string; secret: string | null; tenantId: string; userIds: string[]; sessionIds: string[]; concurrency: number };
type Finish = { sentAt: Record<string, number> };

const now = () => performance.timeOrigin + performance.now();
const sockets: Socket[] = [];
/** Per event seq, when each socket got it (a socket receiving one twice is a duplicate). */
const received = new Map<number, number[]>();
/** Per notification seq (its preview "n:<seq>"), when its person's socket got it. */
const notified = new Map<number, number[]>();
let duplicates = 0;

async function connectAll(start: Start) {
  let next = 0;
  const one = async (index: number) => {
    const principal = { kind: "user" as const, userId: start.userIds[index]!, sessionId: start.sessionIds[index]! };
    const token = start.secret ? await signRealtimeToken({ tenantId: start.tenantId, role: "agent", principal }, start.secret, Date.now()) : "";
    const socket = io(start.url, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true });
    const seen = new Set<number>();
    socket.on("conversation.updated", (event: { data: { seq: number } }) => {
      const at = now();
      const seq = event.data.seq;
      if (seen.has(seq)) return void duplicates++;
      seen.add(seq);
      const times = received.get(seq) ?? [];
      times.push(at);
      received.set(seq, times);
    });
    socket.on("notification.created", (event: { data: { notification: { data: { preview: string } } } }) => {
      const at = now();
      const seq = Number(/^n:(\d+)$/.exec(event.data.notification.data.preview)?.[1] ?? -1);
      if (seq < 0) return;
      const times = notified.get(seq) ?? [];
      times.push(at);
      notified.set(seq, times);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once(start.secret ? "sync" : "connect", () => resolve());
      socket.once("connect_error", reject);
    });
    sockets.push(socket);
  };
  await Promise.all(
    Array.from({ length: start.concurrency }, async () => {
      while (next < start.userIds.length) await one(next++);
    }),
  );
}


/** From each notification's triggering commit to its person's socket. */
function notificationFigures(sentAt: Record<string, number>) {
  const latencies: number[] = [];
  let duplicated = 0;
  for (const [seq, at] of Object.entries(sentAt)) {
    const times = notified.get(Number(seq)) ?? [];
    if (times.length > 1) duplicated += times.length - 1;
    if (times[0] !== undefined) latencies.push(times[0] - at);
  }
  const sorted = Float64Array.from(latencies).sort();
  return { notifications: Object.keys(sentAt).length, delivered: latencies.length, lost: Object.keys(sentAt).length - latencies.length, duplicated, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted.at(-1) ?? 0 };
}

process.on("message", (message: { connect?: Start; finish?: Finish; notifications?: Finish }) => {
  if (message.notifications) process.send!({ notificationFigures: notificationFigures(message.notifications.sentAt) });
  if (message.connect) {
    connectAll(message.connect).then(
      () => process.send!({ connected: sockets.length }),
      (error: unknown) => process.send!({ error: String(error) }),
    );
  }
  if (message.finish) {
    const latencies: number[] = [];
    let delivered = 0;
    for (const [seq, sentAt] of Object.entries(message.finish.sentAt)) {
      for (const at of received.get(Number(seq)) ?? []) {
        latencies.push(at - sentAt);
        delivered++;
      }
    }
    const sorted = Float64Array.from(latencies).sort();
    const expected = Object.keys(message.finish.sentAt).length * sockets.length;
    process.send!({
      figures: { sockets: sockets.length, deliveries: delivered, lost: expected - delivered, duplicated: duplicates, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted.at(-1) ?? 0 },
    });
    for (const socket of sockets) socket.close();
    setTimeout(() => process.exit(0), 100);
  }
});
