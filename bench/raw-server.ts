/**
 * The baseline of bench/cache-hit-throughput.ts: a bare node:http server that answers every request with the
 * bytes the gateway answered for the benchmark's query, so the two differ only in the work the gateway does.
 * Started by it as a child process, pinned to the gateway's core:
 * `node --import tsx bench/raw-server.ts <body file> <content type>`. Prints `{"port":N}` once listening.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [bodyFile, contentType] = process.argv.slice(2);
if (bodyFile === undefined || contentType === undefined) {
  throw new Error('usage: raw-server.ts <body file> <content type>');
}
const body = readFileSync(bodyFile);
const headers = { 'content-type': contentType, 'content-length': String(body.length) };

const server = createServer((request, response) => {
  // Read the request body as the gateway must, so both pay for receiving the query.
  request.resume();
  request.on('end', () => response.writeHead(200, headers).end(body));
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  console.log(JSON.stringify({ port }));
});
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
});
