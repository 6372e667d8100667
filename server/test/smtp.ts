import { SMTPServer } from "smtp-server";
import { freePort } from "./free-port";

export type ReceivedMail = { to: string[]; body: string };

/**
 * A real SMTP server on loopback that keeps every mail it is given (`received`), its body with
 * quoted-printable undone enough to read links (soft line breaks and "=3D").
 */
export async function startSmtpServer() {
  const port = await freePort();
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      let body = "";
      stream.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      stream.on("end", () => {
        received.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), body: body.replace(/=\r?\n/g, "").replaceAll("=3D", "=") });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { port, url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
