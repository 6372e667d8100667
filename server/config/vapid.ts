import path from "node:path";
import webpush from "web-push";
import { z } from "zod";
import type { Env, EnvVars } from "@/lib/env";
import { loadSecretFile } from "./secret-file";

/** The key pair this server signs its pushes with (RFC 8292), and who push services may contact. */
export type VapidKeys = { publicKey: string; privateKey: string; subject: string };

const vapidFileSchema = z.object({ publicKey: z.string().regex(/^[A-Za-z0-9_-]{87}$/), privateKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });

/**
 * From the environment when set; outside production, generated once into `<data dir>/vapid.json`
 * like the other local secrets (a browser's subscription is bound to the public key, so it must
 * survive restarts). In production without the variables, push is off: every node must sign with
 * the same pair, which only the environment can give them.
 */
export function loadVapidKeys(env: Env, dataDir: string): VapidKeys | null {
  const subject = env.VAPID_SUBJECT ?? defaultSubject(env);
  if (env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY) return { publicKey: env.VAPID_PUBLIC_KEY, privateKey: env.VAPID_PRIVATE_KEY, subject };
  if (env.NODE_ENV === "production") return null;
  const keys = loadSecretFile(path.join(dataDir, "vapid.json"), vapidFileSchema, () => webpush.generateVAPIDKeys());
  return { ...keys, subject };
}

/** The keys the process's loader resolved (loadConfig writes them back into the environment for later code). */
export function vapidKeys(source: EnvVars = process.env): VapidKeys | null {
  const { VAPID_PUBLIC_KEY: publicKey, VAPID_PRIVATE_KEY: privateKey, VAPID_SUBJECT: subject } = source;
  return publicKey && privateKey && subject ? { publicKey, privateKey, subject } : null;
}

/** The public address when it is https (push services want a way to reach the sender), else the mail sender's address. */
function defaultSubject(env: Env): string {
  if (env.PUBLIC_URL?.startsWith("https://")) return env.PUBLIC_URL;
  const address = /<([^>]+)>/.exec(env.MAIL_FROM)?.[1] ?? env.MAIL_FROM;
  return `mailto:${/^[^\s@]+@[^\s@]+$/.test(address) ? address : "no-reply@localhost"}`;
}
