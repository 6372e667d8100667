import { createPrivateKey, randomUUID, sign, type KeyObject } from "node:crypto";
import { request } from "node:https";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import webpush, { type RequestDetails, type RequestOptions, type VapidKeys } from "web-push";
import { startPushService, type PushService, type PushSubscriptionJSON } from "./push-service";

const subject = "mailto:ops@example.com";
const vapid = webpush.generateVAPIDKeys();

let push: PushService;
beforeEach(async () => {
  push = await startPushService();
});
afterEach(async () => {
  await push.close();
});

/** Sends as our product will: web-push with our VAPID identity, trusting the local service's certificate. */
function send(subscription: PushSubscriptionJSON, payload: string, options: RequestOptions = {}) {
  return webpush.sendNotification(subscription, payload, { vapidDetails: { subject, ...vapid }, TTL: 60, agent: push.agent, ...options });
}

/** The status web-push reports for a refused message; fails the test when the message was accepted. */
async function refusedWith(sending: Promise<unknown>): Promise<number> {
  const error = await sending.then(
    () => {
      throw new Error("expected the push service to refuse the message, and it accepted it");
    },
    (e: unknown) => e,
  );
  if (!(error instanceof webpush.WebPushError)) throw error;
  return error.statusCode;
}

/** Posts a request web-push built, after a test has altered it, and answers the status. */
function post(details: RequestDetails): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(details.endpoint, { method: details.method, headers: details.headers, agent: push.agent }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(details.body ?? undefined);
  });
}

function requestFor(subscription: PushSubscriptionJSON, payload: string): RequestDetails {
  return webpush.generateRequestDetails(subscription, payload, { vapidDetails: { subject, ...vapid }, TTL: 60 });
}

describe("the local push service", () => {
  it("delivers a payload sent with web-push decrypted byte for byte, with the sender's VAPID identity and TTL", async () => {
    const subscription = push.subscribe();
    const text = "Привет 👋 — your order #42 has shipped";
    const before = Math.floor(Date.now() / 1000);

    const result = await send(subscription, text);

    expect(result.statusCode).toBe(201);
    expect(result.headers.location).toMatch(new RegExp(`^${push.url}/message/`));
    const [message] = await push.waitFor(1);
    expect(Buffer.from(message!.payload)).toEqual(Buffer.from(text, "utf8"));
    expect(subscription.endpoint).toBe(`${push.url}/push/${message!.subscriptionId}`);
    expect(message!.headers).toEqual({ ttl: 60, urgency: "normal" });
    expect(message!.vapid).toMatchObject({ subject, publicKey: vapid.publicKey, audience: push.url });
    expect(message!.vapid.expiresAt).toBeGreaterThan(before);
    expect(message!.vapid.expiresAt).toBeLessThanOrEqual(before + 24 * 60 * 60 + 1);
    expect(push.rejected).toEqual([]);
  });

  it("records the Urgency and Topic a sender sets", async () => {
    const subscription = push.subscribe();

    await send(subscription, "{}", { urgency: "high", topic: "conversation-42" });

    expect(push.received.map((m) => m.headers)).toEqual([{ ttl: 60, urgency: "high", topic: "conversation-42" }]);
  });

  it("keeps messages in arrival order, each with its own subscription", async () => {
    const first = push.subscribe();
    const second = push.subscribe();

    await send(first, "one");
    await send(second, "two");
    await send(first, "three");

    const messages = await push.waitFor(3);
    const idOf = (s: PushSubscriptionJSON) => s.endpoint.split("/").at(-1);
    expect(messages.map((m) => [m.subscriptionId, m.payload])).toEqual([
      [idOf(first), "one"],
      [idOf(second), "two"],
      [idOf(first), "three"],
    ]);
  });

  // web-push adds 103 bytes (86 of header, 16 of tag, 1 padding delimiter) to the payload.
  it("accepts the largest payload that fits a 4096-byte body and refuses one byte more with 413", async () => {
    const subscription = push.subscribe();

    await send(subscription, "a".repeat(4096 - 103));
    const status = await refusedWith(send(subscription, "a".repeat(4096 - 103 + 1)));

    expect(push.received.map((m) => m.payload.length)).toEqual([4096 - 103]);
    expect(status).toBe(413);
    expect(push.rejected).toEqual([{ endpoint: subscription.endpoint, status: 413, reason: "body over 4096 bytes" }]);
  });

  it("answers 410 Gone for a subscription the browser dropped, and delivers nothing to it", async () => {
    const gone = push.subscribe();
    const alive = push.subscribe();
    push.answer(gone.endpoint, 410);

    const status = await refusedWith(send(gone, "are you there?"));
    await send(alive, "still here");

    expect(status).toBe(410);
    expect(push.received.map((m) => m.payload)).toEqual(["still here"]);
    expect(push.rejected).toEqual([{ endpoint: gone.endpoint, status: 410, reason: "told to answer 410" }]);
  });

  it("asks a sender it answers 429 to retry later", async () => {
    const subscription = push.subscribe();
    push.answer(subscription.endpoint, 429);

    const error = await send(subscription, "hello").catch((e: unknown) => e);

    expect(error).toBeInstanceOf(webpush.WebPushError);
    expect((error as webpush.WebPushError).statusCode).toBe(429);
    expect((error as webpush.WebPushError).headers["retry-after"]).toBe("1");
  });

  it("answers 404 to an endpoint it never issued", async () => {
    const keys = push.subscribe().keys;
    const endpoint = `${push.url}/push/${randomUUID()}`;

    const status = await refusedWith(send({ endpoint, keys }, "hello"));

    expect(status).toBe(404);
    expect(push.rejected).toEqual([{ endpoint, status: 404, reason: "unknown subscription" }]);
  });

  it("refuses with 403 a message signed with another VAPID key than the subscription was made with", async () => {
    const subscription = push.subscribe({ applicationServerKey: webpush.generateVAPIDKeys().publicKey });

    const status = await refusedWith(send(subscription, "hello"));

    expect(status).toBe(403);
    expect(push.received).toEqual([]);
    expect(push.rejected.map((r) => r.reason)).toEqual([expect.stringMatching(/applicationServerKey/)]);
  });

  it("refuses with 400 a message without a TTL header", async () => {
    const subscription = push.subscribe();
    const details = requestFor(subscription, "hello");
    const headers = { ...details.headers };
    delete headers.TTL;

    const status = await post({ ...details, headers });

    expect(status).toBe(400);
    expect(push.rejected).toEqual([{ endpoint: subscription.endpoint, status: 400, reason: "TTL header missing" }]);
  });

  describe("VAPID", () => {
    const now = () => Math.floor(Date.now() / 1000);
    const intruder = webpush.generateVAPIDKeys();
    const honest = () => ({ aud: push.url, exp: now() + 60 * 60, sub: subject });

    // The control case proves the hand-made token is sound, so each refusal below is for the reason it names.
    it("accepts a hand-signed token with honest claims", async () => {
      const subscription = push.subscribe();

      await send(subscription, "hello", { vapidDetails: undefined, headers: { Authorization: vapidAuthorization(vapid, vapid.publicKey, honest()) } });

      expect(push.received.map((m) => m.payload)).toEqual(["hello"]);
    });

    it.each([
      { forgery: "no Authorization header", authorization: () => undefined, reason: /no Authorization/ },
      { forgery: "a token signed by another key than k", authorization: () => vapidAuthorization(intruder, vapid.publicKey, honest()), reason: /signature/ },
      { forgery: "an expired token", authorization: () => vapidAuthorization(vapid, vapid.publicKey, { ...honest(), exp: now() - 60 }), reason: /expired/ },
      { forgery: "a token valid for more than 24 hours", authorization: () => vapidAuthorization(vapid, vapid.publicKey, { ...honest(), exp: now() + 25 * 60 * 60 }), reason: /24 hours/ },
      { forgery: "a token for another push service", authorization: () => vapidAuthorization(vapid, vapid.publicKey, { ...honest(), aud: "https://fcm.googleapis.com" }), reason: /aud/ },
      { forgery: "a subject that is not mailto: or https:", authorization: () => vapidAuthorization(vapid, vapid.publicKey, { ...honest(), sub: "http://example.com" }), reason: /sub/ },
    ])("refuses $forgery with 401 and records why", async ({ authorization, reason }) => {
      const subscription = push.subscribe();
      const header = authorization();

      const status = await refusedWith(send(subscription, "hello", { vapidDetails: undefined, headers: header ? { Authorization: header } : {} }));

      expect(status).toBe(401);
      expect(push.received).toEqual([]);
      expect(push.rejected).toEqual([{ endpoint: subscription.endpoint, status: 401, reason: expect.stringMatching(reason) }]);
    });
  });

  describe("encryption", () => {
    it("refuses with 400 a body encrypted for another subscription's keys", async () => {
      const target = push.subscribe();
      const other = push.subscribe();

      const status = await refusedWith(send({ endpoint: target.endpoint, keys: other.keys }, "hello"));

      expect(status).toBe(400);
      expect(push.received).toEqual([]);
      expect(push.rejected).toEqual([{ endpoint: target.endpoint, status: 400, reason: expect.stringMatching(/does not authenticate/) }]);
    });

    // Byte offsets in the aes128gcm body: salt 0–15, rs 16–19, idlen 20, sender key 21–85, record from 86.
    it.each([
      { part: "salt", offset: 0 },
      { part: "sender's public key", offset: 60 },
      { part: "ciphertext", offset: 86 },
      { part: "authentication tag", offset: -1 },
    ])("refuses with 400 a body with one byte of its $part flipped, and accepts it unaltered", async ({ offset }) => {
      const subscription = push.subscribe();
      const details = requestFor(subscription, "hello");
      const tampered = Buffer.from(details.body!);
      tampered[offset < 0 ? tampered.length + offset : offset]! ^= 0x01;

      const statuses = [await post({ ...details, body: tampered }), await post(details)];

      expect(statuses).toEqual([400, 201]);
      expect(push.received.map((m) => m.payload)).toEqual(["hello"]);
    });
  });
});

/** An RFC 8292 Authorization header made by hand, so a test can sign with any key and claim anything. */
function vapidAuthorization(signer: VapidKeys, advertisedKey: string, claims: { aud: string; exp: number; sub: string }): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const signingInput = `${encode({ typ: "JWT", alg: "ES256" })}.${encode(claims)}`;
  const signature = sign("sha256", Buffer.from(signingInput), { key: privateKeyOf(signer), dsaEncoding: "ieee-p1363" });
  return `vapid t=${signingInput}.${signature.toString("base64url")}, k=${advertisedKey}`;
}

function privateKeyOf(keys: VapidKeys): KeyObject {
  const point = Buffer.from(keys.publicKey, "base64url");
  return createPrivateKey({
    key: { kty: "EC", crv: "P-256", d: keys.privateKey, x: point.subarray(1, 33).toString("base64url"), y: point.subarray(33).toString("base64url") },
    format: "jwk",
  });
}
