#!/usr/bin/env node
import { Command } from 'commander';
import { configFrom } from '../server/config.js';
import { startServer } from '../server/start.js';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { SqliteAuditLog } from '../audit/sqlite-audit-log.js';
import { renderRecord } from './render-decision.js';
import { readFileSync } from 'node:fs';
import { validatePolicy, type PolicyKind } from '../policy/index.js';
import { iamDataCatalogue } from '../authz/iam-data-catalogue.js';

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

program
  .command('explain <request-id>')
  .description('show the authorization decisions of one request, with the policies and statements that decided it')
  .option('--data-dir <dir>', 'data directory (COFFER_DATA_DIR, default ./data)')
  .option('--json', 'print the records as JSON')
  .action(async (requestId: string, flags: { dataDir?: string; json?: boolean }) => {
    const config = configFrom(process.env, flags.dataDir ? { dataDir: flags.dataDir } : {});
    const path = join(config.dataDir, 'audit.sqlite');
    if (!existsSync(path)) throw new Error(`no audit log at ${path}`);
    const audit = new SqliteAuditLog(path);
    try {
      const records = await audit.byRequestId(requestId.toUpperCase());
      if (records.length === 0) throw new Error(`no decision recorded for request ${requestId}`);
      process.stdout.write(flags.json ? JSON.stringify(records, null, 2) + '\n' : records.map(renderRecord).join('\n\n') + '\n');
    } finally {
      await audit.close();
    }
  });

program
  .command('validate-policy <file>')
  .description('check a policy document as IAM would, with warnings from the Service Authorization Reference')
  .option('--kind <kind>', 'identity | resource | trust | scp | session | key | boundary', 'identity')
  .action((file: string, flags: { kind: string }) => {
    const kinds = ['identity', 'resource', 'trust', 'scp', 'rcp', 'session', 'key', 'boundary'];
    if (!kinds.includes(flags.kind)) throw new Error(`--kind must be one of ${kinds.join(', ')}`);
    const catalogue = iamDataCatalogue();
    const r = validatePolicy(readFileSync(file, 'utf8'), flags.kind as PolicyKind, catalogue ? { catalogue } : {});
    for (const e of r.errors) process.stdout.write(`error    ${e.path}: ${e.message}\n`);
    for (const w of r.warnings) process.stdout.write(`warning  ${w.path}: ${w.message}\n`);
    if (r.errors.length === 0 && r.warnings.length === 0) process.stdout.write('valid\n');
    process.exitCode = r.errors.length ? 1 : 0;
  });

program.parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(`coffer: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
