import { createServer } from "node:http";
import { Server } from "socket.io";

/**
 * The baseline of `npm run bench -- realtime`: a bare Socket.IO server that
 * broadcasts whatever it is told to (POST /emit?seq=N), with no tokens, rooms,
 * database or catch-up. Argument: the port. Prints "ready" when listening.
 */
const port = Number(process.argv[2]);
const http = createServer((req, res) => {
  const seq = Number(new URL(req.url ?? "/", "http://localhost").searchParams.get("seq"));
  io.emit("conversation.updated", { eventId: String(seq), data: { seq } });
  res.writeHead(204).end();
});
const io = new Server(http, { serveClient: false });
http.listen(port, "127.0.0.1", () => process.stdout.write("ready\n"));
