/**
 * `npm run simulator`: the ListCallDetail simulator on its own, for pointing a gateway (or curl) at it.
 */
import { simulatorOptionsFromEnv } from './options.js';
import { startSimulator } from './simulator.js';

// The entry point hands the environment to the pure options parser; nothing else here reads process.env.
const options = simulatorOptionsFromEnv(process.env);
const simulator = await startSimulator(options);
console.log(`ListCallDetail simulator listening on ${simulator.url}`);
const { accessKeyId, secretAccessKey } = options.credentials;
console.log(`  access key ${accessKeyId}, secret key ${secretAccessKey}`);
console.log(
  `  gateway: VOLC_ENDPOINT=${simulator.url} VOLC_ACCESSKEY=${accessKeyId} VOLC_SECRETKEY=${secretAccessKey} npm start`,
);

let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  // A second Ctrl-C while closing means "now".
  if (stopping) process.exit(1);
  stopping = true;
  console.log(`${signal}: stopping`);
  simulator.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
