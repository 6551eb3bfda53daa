import { applyBootstrapFile, ensureManagementAccount, sweepOrphanBlobs } from './bootstrap.js';
import { createApp, type App, type AppOptions } from './app.js';
import type { Config } from './config.js';
import { startListeners, type Listening } from './http-server.js';

export interface Running {
  app: App;
  listening: Listening;
  stop(): Promise<void>;
}

/** Start-up in order: stores, sweep, management account, bootstrap file, listeners. */
export async function startServer(config: Config, opts: AppOptions = {}): Promise<Running> {
  const app = await createApp(config, opts);
  const swept = await sweepOrphanBlobs(app);
  await app.meta.deleteExpiredSessions(app.clock());
  if (swept) app.logger.info({ swept }, 'removed blobs left by an interrupted write');
  const mgmt = await ensureManagementAccount(app);
  if (mgmt.generated) {
    // Printed once, when generated; afterwards they live only in root-credentials.json (0600).
    process.stdout.write(`Coffer management account ${config.accountId} root credentials (also in ${config.dataDir}/root-credentials.json):\n`
      + `  AWS_ACCESS_KEY_ID=${mgmt.generated.accessKeyId}\n  AWS_SECRET_ACCESS_KEY=${mgmt.generated.secretAccessKey}\n`);
  }
  if (config.bootstrap) await applyBootstrapFile(app, config.bootstrap);
  const listening = await startListeners(app);
  app.logger.info({ host: config.host, port: listening.port, tlsPort: listening.tlsPort, dataDir: config.dataDir }, 'coffer listening');
  return {
    app,
    listening,
    async stop() {
      await listening.close();
      await app.close();
    },
  };
}
