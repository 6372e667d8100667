export {};

/**
 * The load generator of `npm run bench -- telegram`, in its own process (as
 * Telegram is another machine), so the server's figures are not its own.
 * Arguments (JSON): { webhook, secret, chats, perChat, duplicateEvery }. Prints the ack times.
 */
const { webhook, secret, chats, perChat, duplicateEvery } = JSON.parse(process.argv[2]!) as {
  webhook: string;
  secret: string;
  chats: number;
  perChat: number;
  duplicateEvery: number;
};

const acks: number[] = [];
let failures = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: chats }, async (_, chatIndex) => {
    const chatId = 100_000 + chatIndex;
    for (let i = 0; i < perChat; i++) {
      const body = JSON.stringify({
        update_id: chatIndex * perChat + i + 1,
        message: { message_id: i + 1, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: "private", first_name: "B" }, from: { id: chatId, is_bot: false, first_name: "B" }, text: `message ${i}` },
      });
      // Telegram sends a chat's next update only after this one is acknowledged.
      for (let copy = 0; copy < (i % duplicateEvery === 0 ? 2 : 1); copy++) {
        const t0 = performance.now();
        const response = await fetch(webhook, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret }, body });
        await response.text();
        acks.push(performance.now() - t0);
        if (response.status !== 200) failures++;
      }
    }
  }),
);
process.stdout.write(JSON.stringify({ acks, failures, seconds: (performance.now() - started) / 1000 }));
