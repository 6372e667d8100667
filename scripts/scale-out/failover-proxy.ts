import net from "node:net";

export type FailoverProxy = {
  url: string;
  /** Connections made to each backend port since the start. */
  connections: Map<number, number>;
  close: () => Promise<void>;
};

/**
 * The load balancer in front of the realtime nodes, as small as it gets: a TCP
 * proxy that sends each new connection to the first backend that accepts it.
 * While its first choice lives every socket goes there; once it is gone, sockets
 * that reconnect land on the next one, as behind a balancer with health checks.
 */
export async function startFailoverProxy(backends: number[]): Promise<FailoverProxy> {
  const connections = new Map<number, number>(backends.map((port) => [port, 0]));
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    open.add(client);
    client.on("close", () => open.delete(client));
    client.on("error", () => client.destroy());
    client.pause();
    const attempt = (index: number) => {
      const port = backends[index];
      if (port === undefined || client.destroyed) return void client.destroy();
      const upstream = net.connect(port, "127.0.0.1");
      let connected = false;
      upstream.once("connect", () => {
        connected = true;
        connections.set(port, connections.get(port)! + 1);
        open.add(upstream);
        upstream.on("close", () => (open.delete(upstream), client.destroy()));
        client.on("close", () => upstream.destroy());
        client.pipe(upstream).pipe(client);
        client.resume();
      });
      upstream.on("error", () => {
        upstream.destroy();
        if (!connected) attempt(index + 1);
      });
    };
    attempt(0);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections,
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
