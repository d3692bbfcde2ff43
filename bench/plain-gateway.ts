/**
 * The gateway as `npm start` runs it but on the plain executed path (every float completed by the executor,
 * no column fast path): the "before" beside the deployed gateway in bench/live-dashboard.ts, measured in the
 * same run. Prints the same "listening on" line as src/main.ts.
 *
 * Run: node --import tsx bench/plain-gateway.ts (configured by the environment, like src/main.ts)
 */
import { loadConfig } from '../src/config/config.js';
import { startGateway } from '../src/gateway.js';

const gateway = await startGateway(loadConfig(), { fastPath: false });
console.log(`callq listening on ${gateway.graphqlUrl}`);
process.once('SIGTERM', () => {
  gateway.close().then(() => process.exit(0));
});
