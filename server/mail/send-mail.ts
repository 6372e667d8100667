import nodemailer from "nodemailer";

export type Mail = { to: string; subject: string; text: string; headers?: Record<string, string> };

/** Sends through SMTP_URL when it is set; returns false when mail is not configured. */
export async function sendMail(mail: Mail, env: { SMTP_URL?: string; MAIL_FROM: string }): Promise<boolean> {
  if (!env.SMTP_URL) return false;
  const transport = nodemailer.createTransport(env.SMTP_URL);
  try {
    await transport.sendMail({ from: env.MAIL_FROM, ...mail });
  } finally {
    transport.close();
  }
  return true;
}
