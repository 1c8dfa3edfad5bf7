import { ConfigError, loadConfig } from './config';
import { createHotline } from './hotline';
import { createLogger } from './shared/logger';

/** `npm start`: the service alone, configured by config/ and the environment. */
async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`hotline: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const hotline = await createHotline(config, log);
  const port = await hotline.listen(config.port);
  log.info({ port, ari: config.ari.url, app: config.ari.app }, 'hotline listening');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(
      { signal, liveCalls: hotline.engine.registry.size },
      'stopping; live calls stay up in Asterisk and are adopted at next start',
    );
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    hotline
      .stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        log.error({ err }, 'stop failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(
    `hotline: failed to start: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
