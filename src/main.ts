/**
 * The process entry point (`npm start`): configuration, logger, the gateway, signals and exit codes. Everything
 * the gateway is made of is built in gateway.ts; this file only runs it as a process.
 */
import { type Config, ConfigError, loadConfig } from './config/config.js';
import { type RunningGateway, startGateway } from './gateway.js';
import { createLogger } from './observability/logger.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  let gateway: RunningGateway;
  try {
    gateway = await startGateway(config, { logger });
  } catch (error) {
    // EADDRINUSE and friends: one clear line for the operator, not a stack trace.
    const reason = error instanceof Error ? error.message : String(error);
    console.error(`callq could not start on ${config.host}:${config.port}: ${reason}`);
    process.exit(1);
  }
  const upstreamNote = gateway.simulator
    ? `the embedded simulator at ${gateway.simulator.url}: the data is SIMULATED (set VOLC_ACCESSKEY and VOLC_SECRETKEY for real data)`
    : `${config.upstream.endpoint} (region ${config.upstream.region})`;
  // The upstream line first: whoever waits for "listening on" has then read both.
  logger.info(`upstream: ${upstreamNote}`);
  logger.info(
    `callq listening on ${gateway.graphqlUrl}${config.graphiql ? ' (open it in a browser for GraphiQL)' : ''}`,
  );

  // One stop can arrive several times: Ctrl-C and systemd signal the whole process group, wrappers in it
  // may pass the signal on, and operators press Ctrl-C again. `on`, not `once`: with no listener left, a
  // repeat takes the default action (or the tsx CLI's: exit 128 + signal) and ends the drain.
  let stopping = false;
  let repeatLogged = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      if (!repeatLogged) logger.info(`${signal}: already shutting down`);
      repeatLogged = true;
      return;
    }
    stopping = true;
    logger.info(`${signal}: shutting down (in-flight requests get ${config.http.shutdownGraceMs} ms)`);
    gateway.close().then(
      () => {
        logger.info('shutdown complete');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

await main();
