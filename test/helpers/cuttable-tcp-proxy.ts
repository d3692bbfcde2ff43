/**
 * A loopback TCP proxy in front of one server, whose link can be cut and restored. Cut, it drops the open
 * connections and accepts new ones without ever forwarding a byte, as a partition looks to a client that
 * reconnects (no answer until its own connect timeout fires). Restored, new connections go through again;
 * those opened during the cut stay dead, as they would after a real partition.
 */
import { once } from 'node:events';
import { createConnection, createServer, type Socket } from 'node:net';

export interface CuttableTcpProxy {
  /** Where clients connect, `127.0.0.1:<port>`. */
  readonly port: number;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startCuttableTcpProxy(targetPort: number): Promise<CuttableTcpProxy> {
  let cut = false;
  /** Every socket open through the proxy, either side, so that a cut can silence them and close can end them. */
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A peer that goes away mid-test is expected; an unhandled 'error' would crash the test worker.
    socket.on('error', () => {});
  };
  const server = createServer((client) => {
    track(client);
    if (cut) {
      // Read and dropped: the client's bytes go nowhere, and nothing comes back.
      client.resume();
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');

  return {
    port: address.port,
    cut() {
      cut = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      cut = false;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
