#!/usr/bin/env node
import { Command } from 'commander';
import { configFrom } from '../server/config.js';
import { startServer } from '../server/start.js';

const program = new Command();
program.name('coffer').description('Coffer: the AWS data-access plane (S3, KMS, IAM, STS, Organizations, Access Grants) on one endpoint');

program
  .command('server')
  .description('run the server (each flag also has a COFFER_* environment variable)')
  .option('--host <host>', 'listen address (COFFER_HOST, default 127.0.0.1)')
  .option('--port <port>', 'HTTP port (COFFER_PORT, default 9000)')
  .option('--data-dir <dir>', 'data directory (COFFER_DATA_DIR, default ./data)')
  .option('--region <region>', 'region (COFFER_REGION, default us-east-1)')
  .option('--domains <list>', 'comma-separated domains for virtual-hosted buckets (COFFER_DOMAINS, default localhost)')
  .option('--tls-port <port>', 'HTTPS port (COFFER_TLS_PORT)')
  .option('--tls-cert <file>', 'certificate (PEM) for HTTPS (COFFER_TLS_CERT)')
  .option('--tls-key <file>', 'private key (PEM) for HTTPS (COFFER_TLS_KEY)')
  .option('--account-id <id>', 'management account id (COFFER_ACCOUNT_ID, default 000000000000)')
  .option('--bootstrap <file>', 'bootstrap file, YAML or JSON (COFFER_BOOTSTRAP)')
  .option('--log-level <level>', 'pino log level (COFFER_LOG_LEVEL, default info)')
  .action(async (flags: Record<string, string | undefined>) => {
    const config = configFrom(process.env, flags);
    const running = await startServer(config);
    const stop = (): void => {
      running.stop().then(() => process.exit(0), () => process.exit(1));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

program.parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(`coffer: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
