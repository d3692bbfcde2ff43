/**
 * Clients that never read GraphiQL's ~9 MB page must not hold the gateway's memory: every response writes the one
 * Buffer built for the process. Measured on a real gateway process (as `npm start` runs it) from its VmRSS.
 */
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGatewayProcess } from '../../helpers/gateway-process.js';
import { rssMb } from '../../helpers/process-rss.js';

const READERS = 200;
const MAX_GROWTH_MB = 100;
// Far above what 200 page requests take, even on a gateway that renders the page afresh for each (~40 s).
const READERS_DEADLINE_MS = 60_000;

let gateway: GatewayProcess | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await gateway?.stop();
  gateway = undefined;
});

/** A GET of the page that reads the start of its response, then nothing more, ever. */
function stalledReader(url: URL): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) }, () => {
      socket.write(
        `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: text/html\r\nAccept-Encoding: identity\r\n\r\n`,
      );
    });
    sockets.push(socket);
    // Kept for the socket's life: a reset at teardown must not surface as an unhandled error.
    socket.on('error', reject);
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      const statusLine = chunk.subarray(0, chunk.indexOf('\r\n')).toString();
      if (statusLine === 'HTTP/1.1 200 OK') resolve();
      else reject(new Error(`the page request was answered ${statusLine}`));
    });
  });
}

describe('GraphiQL page under slow readers', () => {
  it(`holds ${READERS} clients that never read the page within ${MAX_GROWTH_MB} MB of idle`, {
    timeout: 120_000,
  }, async () => {
    gateway = await startGatewayProcess({});
    const pid = gateway.child.pid;
    if (pid === undefined) throw new Error('the gateway process has no pid');
    const url = new URL(gateway.url);

    // Idle, with the page built once (and read whole) as any first visitor does.
    const first = await fetch(url, { headers: { accept: 'text/html', 'accept-encoding': 'identity' } });
    expect((await first.text()).length).toBeGreaterThan(1_000_000);
    await sleep(500);
    const idleMb = await rssMb(pid);

    const deadline = AbortSignal.timeout(READERS_DEADLINE_MS);
    await Promise.race([
      Promise.all(Array.from({ length: READERS }, () => stalledReader(url))),
      new Promise((_, reject) => deadline.addEventListener('abort', () => reject(deadline.reason))),
    ]);
    // Every response is under way; what it holds stays held, since no byte more is read.
    await sleep(500);
    let loadedMb = 0;
    for (let sample = 0; sample < 4; sample += 1) {
      loadedMb = Math.max(loadedMb, await rssMb(pid));
      await sleep(250);
    }

    const figures = `RSS idle ${idleMb} MB, with ${READERS} stalled readers ${loadedMb} MB`;
    console.info(`GraphiQL page: ${figures}`);
    expect(loadedMb - idleMb, figures).toBeLessThan(MAX_GROWTH_MB);
  });
});
