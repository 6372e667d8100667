import { createDecipheriv, createECDH, createHmac, createPublicKey, generateKeyPairSync, randomBytes, randomUUID, sign, verify, type ECDH, type KeyObject } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Agent, createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { until } from "./wait";

export type PushSubscriptionJSON = { endpoint: string; keys: { p256dh: string; auth: string } };

export type ReceivedPush = {
  subscriptionId: string;
  /** The plaintext, decrypted here and read as UTF-8 (as a service worker's `event.data.text()` would). */
  payload: string;
  headers: { ttl: number; urgency?: string; topic?: string };
  vapid: { subject: string; publicKey: string; audience: string; expiresAt: number };
};

export type PushRefusal = { endpoint: string; status: number; reason: string };

export type PushService = Awaited<ReturnType<typeof startPushService>>;

type Subscription = {
  id: string;
  endpoint: string;
  ecdh: ECDH;
  publicKey: Buffer;
  authSecret: Buffer;
  applicationServerKey?: string;
  answer?: number;
};

// RFC 8030 §7.2: a push service must accept 4096 bytes of body, and real ones accept no more.
const MAX_BODY_BYTES = 4096;
// RFC 8292 §2: a token may be valid for at most 24 hours from the request.
const MAX_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;
const URGENCIES = new Set(["very-low", "low", "normal", "high"]);

/**
 * A Web Push service on loopback that checks what it is sent the way FCM or
 * Mozilla autopush do (RFC 8030 delivery, RFC 8292 VAPID) and decrypts every
 * message itself (RFC 8291 over RFC 8188 aes128gcm) with node:crypto alone, so
 * a test of our sender does not trust the library that encrypted the message.
 *
 * It speaks HTTPS because web-push sends with `https.request` whatever the
 * endpoint's scheme says; the certificate is self-signed for 127.0.0.1, so a
 * sender must trust it: pass `agent` to `sendNotification`, or `ca` (PEM) to a
 * child process through NODE_EXTRA_CA_CERTS.
 */
export async function startPushService() {
  const tls = selfSignedCertificate();
  const subscriptions = new Map<string, Subscription>();
  const received: ReceivedPush[] = [];
  const rejected: PushRefusal[] = [];
  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    void handle(req, res).catch((error: unknown) => {
      res.writeHead(500).end(error instanceof Error ? error.message : String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const agent = new Agent({ ca: tls.cert });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const endpoint = `${url}${req.url ?? ""}`;
    const body = await readBody(req);
    try {
      const message = accept(req, body);
      received.push(message);
      res.writeHead(201, { Location: `${url}/message/${randomUUID()}` }).end();
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      rejected.push({ endpoint, status: error.status, reason: error.message });
      res.writeHead(error.status, { "Content-Type": "text/plain", ...error.headers }).end(error.message);
    }
  }

  // The checks run in the order a real service makes them: route, subscription, credentials, message.
  function accept(req: IncomingMessage, body: { bytes: Buffer; tooLarge: boolean }): ReceivedPush {
    const id = /^\/push\/([\w-]+)$/.exec(req.url ?? "")?.[1];
    if (!id) throw new Refused(404, "no such route");
    if (req.method !== "POST") throw new Refused(405, `${req.method} is not allowed, only POST`, { Allow: "POST" });
    const subscription = subscriptions.get(id);
    if (!subscription) throw new Refused(404, "unknown subscription");
    if (subscription.answer) {
      // Real services send Retry-After with a 429, and a sender's backoff may read it.
      const headers = subscription.answer === 429 ? { "Retry-After": "1" } : undefined;
      throw new Refused(subscription.answer, `told to answer ${subscription.answer}`, headers);
    }

    const vapid = verifyVapid(req.headers.authorization, url);
    if (subscription.applicationServerKey && vapid.publicKey !== subscription.applicationServerKey) {
      throw new Refused(403, "VAPID key is not the applicationServerKey the subscription was made with");
    }

    const headers = parsePushHeaders(req);
    if (body.tooLarge) throw new Refused(413, `body over ${MAX_BODY_BYTES} bytes`);
    let plaintext: Buffer = Buffer.alloc(0);
    if (body.bytes.length > 0) {
      const encoding = req.headers["content-encoding"];
      if (encoding !== "aes128gcm") throw new Refused(415, `Content-Encoding ${encoding ?? "(none)"} is not aes128gcm`);
      plaintext = decrypt(body.bytes, subscription);
    }
    return { subscriptionId: id, payload: plaintext.toString("utf8"), headers, vapid };
  }

  return {
    /** The push service's origin, which is also the audience a VAPID token must name. */
    url,
    /** An agent that trusts this service's certificate, for `sendNotification(…, { agent })`. */
    agent,
    /** This service's certificate (PEM), for processes that must trust it. */
    ca: tls.cert,
    /**
     * A new browser subscription, as `PushManager.subscribe()` makes one: a P-256
     * key pair and a 16-byte auth secret (RFC 8291 §2). Given an
     * applicationServerKey, messages signed with any other VAPID key get 403.
     */
    subscribe(options: { applicationServerKey?: string } = {}): PushSubscriptionJSON {
      const id = randomUUID();
      const ecdh = createECDH("prime256v1");
      const publicKey = ecdh.generateKeys();
      const authSecret = randomBytes(16);
      const endpoint = `${url}/push/${id}`;
      subscriptions.set(id, { id, endpoint, ecdh, publicKey, authSecret, applicationServerKey: options.applicationServerKey });
      return { endpoint, keys: { p256dh: publicKey.toString("base64url"), auth: authSecret.toString("base64url") } };
    },
    /** Every message accepted and decrypted, in arrival order. */
    received,
    /** Every request refused, in arrival order, with the status sent and why. */
    rejected,
    /** Resolves with `received` once it holds at least `count` messages. */
    async waitFor(count: number, timeoutMs = 5000): Promise<ReceivedPush[]> {
      await until(() => received.length >= count, `${count} push messages (have ${received.length})`, timeoutMs);
      return received;
    },
    /** From now on answers `status` to every message for this subscription; 410 is how a browser's unsubscribe looks to a sender. */
    answer(endpoint: string, status: 404 | 410 | 429 | 500): void {
      const subscription = [...subscriptions.values()].find((s) => s.endpoint === endpoint);
      if (!subscription) throw new Error(`not a subscription of this push service: ${endpoint}`);
      subscription.answer = status;
    },
    async close(): Promise<void> {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

class Refused extends Error {
  constructor(
    readonly status: number,
    reason: string,
    readonly headers?: Record<string, string>,
  ) {
    super(reason);
  }
}

/** The whole body, but only the first bytes past the limit are kept: enough to know it was too large. */
async function readBody(req: IncomingMessage): Promise<{ bytes: Buffer; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length <= MAX_BODY_BYTES + 1) chunks.push(chunk);
  }
  return { bytes: Buffer.concat(chunks), tooLarge: length > MAX_BODY_BYTES };
}

function parsePushHeaders(req: IncomingMessage): ReceivedPush["headers"] {
  const ttl = req.headers.ttl;
  if (typeof ttl !== "string" || !/^\d+$/.test(ttl)) throw new Refused(400, `TTL header ${ttl === undefined ? "missing" : `is not an integer: ${String(ttl)}`}`);
  const urgency = req.headers.urgency as string | undefined;
  if (urgency !== undefined && !URGENCIES.has(urgency)) throw new Refused(400, `Urgency ${urgency} is not one of RFC 8030 §5.3`);
  const topic = req.headers.topic as string | undefined;
  if (topic !== undefined && !/^[\w-]{1,32}$/.test(topic)) throw new Refused(400, "Topic must be at most 32 base64url characters (RFC 8030 §5.4)");
  return { ttl: Number(ttl), ...(urgency && { urgency }), ...(topic && { topic }) };
}

const jwtHeader = z.object({ alg: z.literal("ES256") });
const jwtClaims = z.object({ aud: z.string(), exp: z.number().int(), sub: z.string() });

/** RFC 8292 §3: `Authorization: vapid t=<JWT>, k=<uncompressed P-256 key>`, the JWT signed by k. */
function verifyVapid(authorization: string | undefined, origin: string): ReceivedPush["vapid"] {
  if (!authorization) throw new Refused(401, "no Authorization header");
  const params = /^vapid\s+(.+)$/i.exec(authorization)?.[1];
  if (!params) throw new Refused(401, "Authorization scheme is not vapid");
  const fields = new Map(
    params.split(",").map((param) => {
      const [name = "", ...value] = param.trim().split("=");
      return [name.toLowerCase(), value.join("=")] as const;
    }),
  );
  const token = fields.get("t");
  const k = fields.get("k");
  if (!token || !k) throw new Refused(401, "vapid Authorization lacks t= or k=");

  const key = p256PublicKey(k);
  const [header, claims, signature, ...extra] = token.split(".");
  if (header === undefined || claims === undefined || signature === undefined || extra.length > 0) throw new Refused(401, "t is not a JWS compact serialization");
  if (!jwtHeader.safeParse(decodeJson(header)).success) throw new Refused(401, "JWT alg is not ES256");
  // JOSE carries ECDSA signatures as raw r||s, not DER.
  const signed = verify("sha256", Buffer.from(`${header}.${claims}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(signature, "base64url"));
  if (!signed) throw new Refused(401, "JWT signature does not verify with k");

  const parsed = jwtClaims.safeParse(decodeJson(claims));
  if (!parsed.success) throw new Refused(401, "JWT claims must hold aud, exp (integer) and sub");
  const { aud, exp, sub } = parsed.data;
  if (aud !== origin) throw new Refused(401, `JWT aud ${aud} is not this push service's origin ${origin}`);
  const now = Math.floor(Date.now() / 1000);
  if (exp <= now) throw new Refused(401, "JWT expired");
  if (exp > now + MAX_TOKEN_LIFETIME_SECONDS) throw new Refused(401, "JWT exp is more than 24 hours ahead");
  if (!/^(mailto|https):/.test(sub) || !URL.canParse(sub)) throw new Refused(401, `JWT sub ${sub} is not a mailto: or https: URL`);
  return { subject: sub, publicKey: k, audience: aud, expiresAt: exp };
}

function p256PublicKey(base64url: string): KeyObject {
  const raw = /^[\w-]+$/.test(base64url) ? Buffer.from(base64url, "base64url") : Buffer.alloc(0);
  if (raw.length !== 65 || raw[0] !== 0x04) throw new Refused(401, "k is not an uncompressed P-256 public key");
  try {
    return createPublicKey({
      key: { kty: "EC", crv: "P-256", x: raw.subarray(1, 33).toString("base64url"), y: raw.subarray(33).toString("base64url") },
      format: "jwk",
    });
  } catch {
    throw new Refused(401, "k is not a point on P-256");
  }
}

function decodeJson(base64url: string): unknown {
  try {
    return JSON.parse(Buffer.from(base64url, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

/**
 * RFC 8291 §3.3–3.4 key derivation, then one RFC 8188 record. One is all a
 * 4096-byte body can hold at web-push's record size, so more is refused rather than read.
 */
function decrypt(body: Buffer, subscription: Subscription): Buffer {
  // RFC 8188 §2.1 header: salt (16) | rs (uint32) | idlen (1) | keyid (idlen).
  if (body.length < 21) throw new Refused(400, "body shorter than the aes128gcm header");
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20]!;
  if (recordSize < 18) throw new Refused(400, `record size ${recordSize} is below the minimum of 18`);
  // RFC 8291 §4: the keyid is the sender's ephemeral public key.
  if (idLength !== 65) throw new Refused(400, `keyid is ${idLength} bytes, not a 65-byte P-256 public key`);
  const senderPublicKey = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  if (record.length < 17) throw new Refused(400, "record shorter than a tag and a padding delimiter");
  if (record.length > recordSize) throw new Refused(400, "more than one record");

  let ecdhSecret: Buffer;
  try {
    ecdhSecret = subscription.ecdh.computeSecret(senderPublicKey);
  } catch {
    throw new Refused(400, "keyid is not a point on P-256");
  }
  const prkKey = hmac(subscription.authSecret, ecdhSecret);
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), subscription.publicKey, senderPublicKey]);
  const ikm = hmac(prkKey, keyInfo, Buffer.from([1]));
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from("Content-Encoding: aes128gcm\0\x01")).subarray(0, 16);
  // A single record is record 0, so the nonce needs no sequence number mixed in.
  const nonce = hmac(prk, Buffer.from("Content-Encoding: nonce\0\x01")).subarray(0, 12);

  let padded: Buffer;
  try {
    const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
    decipher.setAuthTag(record.subarray(-16));
    padded = Buffer.concat([decipher.update(record.subarray(0, -16)), decipher.final()]);
  } catch {
    throw new Refused(400, "ciphertext does not authenticate with this subscription's keys");
  }
  // RFC 8188 §2: the last record's plaintext ends with 0x02 followed by any number of zeros.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (padded[end] !== 0x02) throw new Refused(400, "record lacks the last-record padding delimiter 0x02");
  return padded.subarray(0, end);
}

function hmac(key: Buffer, ...data: Buffer[]): Buffer {
  const mac = createHmac("sha256", key);
  for (const part of data) mac.update(part);
  return mac.digest();
}

/**
 * A P-256 certificate for 127.0.0.1, built here in DER because node:crypto can
 * sign but not issue certificates, and a checked-in key would be flagged as a secret.
 */
function selfSignedCertificate(): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const ecdsaWithSha256 = der(0x06, Buffer.from("2a8648ce3d040302", "hex"));
  const name = der(0x30, der(0x31, der(0x30, der(0x06, Buffer.from("550403", "hex")), der(0x0c, Buffer.from("push-service")))));
  const utcTime = (date: Date) => der(0x17, Buffer.from(`${date.toISOString().slice(2, 19).replace(/[-T:]/g, "")}Z`));
  const now = Date.now();
  const ipLoopback = der(0x87, Buffer.from([127, 0, 0, 1]));
  const subjectAltName = der(0x30, der(0x06, Buffer.from("551d11", "hex")), der(0x04, der(0x30, ipLoopback)));
  const serial = randomBytes(8);
  serial[0]! &= 0x7f; // a DER INTEGER with the high bit set would read as negative
  const tbs = der(
    0x30,
    der(0xa0, der(0x02, Buffer.from([2]))), // v3, needed for extensions
    der(0x02, serial),
    der(0x30, ecdsaWithSha256),
    name,
    der(0x30, utcTime(new Date(now - 60 * 60 * 1000)), utcTime(new Date(now + 24 * 60 * 60 * 1000))),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    der(0xa3, der(0x30, subjectAltName)),
  );
  const signature = sign("sha256", tbs, privateKey);
  const certificate = der(0x30, tbs, der(0x30, ecdsaWithSha256), der(0x03, Buffer.from([0]), signature));
  const base64Lines = certificate.toString("base64").match(/.{1,64}/g)!.join("\n");
  return {
    key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    cert: `-----BEGIN CERTIFICATE-----\n${base64Lines}\n-----END CERTIFICATE-----\n`,
  };
}

function der(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const length = body.length < 0x80 ? [body.length] : body.length < 0x100 ? [0x81, body.length] : [0x82, body.length >> 8, body.length & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
}
