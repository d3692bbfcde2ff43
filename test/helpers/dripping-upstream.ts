/**
 * A loopback ListCallDetail that drips: for the rooms chosen, it sends 200 and its headers at once, then one
 * byte of body every `intervalMs`, forever; no timeout of undici's ever fires. Other rooms get a valid answer
 * with no data. It checks no signature: the tests using it are about time, not about signing.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface DrippingUpstream {
  readonly url: string;
  /** The RoomId of every request received, in order. */
  readonly rooms: readonly string[];
  /** Body bytes dripped so far, over every request. */
  drippedBytes(): number;
  /** Sockets with a dripping answer under way that the client has not closed yet. */
  drippingSockets(): number;
  close(): Promise<void>;
}

export async function startDrippingUpstream(options: {
  drips: (roomId: string) => boolean;
  intervalMs?: number;
}): Promise<DrippingUpstream> {
  const intervalMs = options.intervalMs ?? 200;
  const rooms: string[] = [];
  const dripping = new Set<Socket>();
  let dripped = 0;

  const server = createServer((request, response) => {
    const roomId = new URL(request.url ?? '/', 'http://fake').searchParams.get('RoomId') ?? '';
    rooms.push(roomId);
    if (!options.drips(roomId)) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          ResponseMetadata: { RequestId: `fake-${rooms.length}`, Action: 'ListCallDetail' },
          Result: { UserCallDetail: [] },
        }),
      );
      return;
    }
    const { socket } = request;
    dripping.add(socket);
    // The client's end arrives as 'end'; node's HTTP server keeps its own half open, so 'close' may come late.
    for (const event of ['end', 'close']) socket.once(event, () => dripping.delete(socket));
    // No content-length: the body is chunked, so the client cannot tell how much is still to come.
    response.writeHead(200, { 'content-type': 'application/json' });
    response.write('{');
    dripped += 1;
    const timer = setInterval(() => {
      response.write(' ');
      dripped += 1;
    }, intervalMs);
    response.on('close', () => clearInterval(timer));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    rooms,
    drippedBytes: () => dripped,
    drippingSockets: () => dripping.size,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
