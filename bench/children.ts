// The two servers under test, each a child process (its own event loop; RSS readable).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const ROOT_KEYS = { accessKeyId: 'AKIABENCHMARK0000001', secretAccessKey: 'bench-secret-access-key-000000000000000001' };

const DIST = join(import.meta.dirname, '..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  port: number;
  stderr(): string;
  stop(): Promise<number | null>;
}

function track(name: string, proc: ChildProcess, port: number): Child {
  let err = '';
  proc.stderr?.on('data', (c: Buffer) => { err = (err + c.toString('utf8')).slice(-8000); });
  proc.stdout?.resume();
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return {
    name, proc, pid: proc.pid!, port,
    stderr: () => err,
    async stop() {
      if (proc.exitCode !== null) return proc.exitCode;
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}

export interface CofferOptions { dataDir: string; port: number; cpuProfDir?: string }

/** `node dist/src/cli/main.js server` with fixed root keys and its own data directory. */
export function spawnCoffer(o: CofferOptions): Child {
  const nodeArgs = o.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProfDir}`] : [];
  const proc = spawn(process.execPath, [...nodeArgs, join(DIST, 'src/cli/main.js'), 'server'], {
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: process.env['HOME'] ?? '/tmp',
      COFFER_HOST: '127.0.0.1',
      COFFER_PORT: String(o.port),
      COFFER_DATA_DIR: o.dataDir,
      COFFER_ROOT_ACCESS_KEY_ID: ROOT_KEYS.accessKeyId,
      COFFER_ROOT_SECRET_ACCESS_KEY: ROOT_KEYS.secretAccessKey,
      COFFER_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return track('coffer', proc, o.port);
}

export function spawnCeiling(dir: string, port: number): Child {
  const proc = spawn(process.execPath, [join(DIST, 'bench/ceiling-server.js')], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', CEILING_PORT: String(port), CEILING_DIR: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return track('ceiling', proc, port);
}

/** Polls `probe` until it resolves, the child exits, or the time is up. */
export async function waitReady(child: Child, probe: () => Promise<unknown>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  let last: unknown;
  while (Date.now() < until) {
    if (child.proc.exitCode !== null) throw new Error(`${child.name} exited (${child.proc.exitCode}): ${child.stderr()}`);
    try {
      await probe();
      return;
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${child.name} not ready after ${ms} ms: ${String(last)}\n${child.stderr()}`);
}
