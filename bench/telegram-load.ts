import http from "node:http";

/**
 * The load generator of `npm run bench -- telegram`, in its own process (as
 * Telegram is another machine), so the server's figures are not its own.
 * Arguments (JSON): { webhook, secret, chats, perChat, duplicateEvery, firstUpdateId, ratePerSecond? }.
 * Without a rate, every chat sends as fast as its acks come back (the server's
 * throughput); with one, updates are due at that steady total rate and an ack's
 * time counts from when its update was due, so a server that falls behind
 * cannot hide the wait (no coordinated omission). Prints the ack times.
 */
const { webhook, secret, chats, perChat, duplicateEvery, firstUpdateId, ratePerSecond } = JSON.parse(process.argv[2]!) as {
  webhook: string;
  secret: string;
  chats: number;
  perChat: number;
  duplicateEvery: number;
  firstUpdateId: number;
  ratePerSecond?: number;
};

// Plain node:http with keep-alive: fetch costs the generator about three times as much CPU per request,
// and on a 2-core machine that CPU is taken from the server being measured.
const agent = new http.Agent({ keepAlive: true, maxSockets: chats });
const target = new URL(webhook);
function post(body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { agent, host: target.hostname, port: target.port, path: target.pathname, method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-telegram-bot-api-secret-token": secret } },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

const acks: number[] = [];
let failures = 0;
const started = performance.now();
/** Each chat's updates are due every `interval` ms, the chats spread evenly over one interval. */
const interval = ratePerSecond ? (chats / ratePerSecond) * 1000 : 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
await Promise.all(
  Array.from({ length: chats }, async (_, chatIndex) => {
    const chatId = 100_000 + chatIndex;
    for (let i = 0; i < perChat; i++) {
      const due = started + (chatIndex / chats) * interval + i * interval;
      if (interval && due > performance.now()) await sleep(due - performance.now());
      const body = JSON.stringify({
        update_id: firstUpdateId + chatIndex * perChat + i,
        message: { message_id: firstUpdateId + i, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: "private", first_name: "B" }, from: { id: chatId, is_bot: false, first_name: "B" }, text: `message ${i}` },
      });
      // Telegram sends a chat's next update only after this one is acknowledged.
      for (let copy = 0; copy < (i % duplicateEvery === 0 ? 2 : 1); copy++) {
        const t0 = interval && copy === 0 ? due : performance.now();
        const status = await post(body);
        acks.push(performance.now() - t0);
        if (status !== 200) failures++;
      }
    }
  }),
);
process.stdout.write(JSON.stringify({ acks, failures, seconds: (performance.now() - started) / 1000 }));
