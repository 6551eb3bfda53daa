// The ceiling: the least a durable HTTP object server can do on this machine. A PUT body is
// written to a temporary file, fdatasync'd, renamed into place and the directory fsync'd (as
// Coffer's blob store does); a GET is fs.createReadStream piped to the response. No auth,
// no metadata, no encryption, no checksums. Run as a child process by bench/run.ts:
//   CEILING_PORT=… CEILING_DIR=… node dist/bench/ceiling-server.js
import { randomBytes } from 'node:crypto';
import { createReadStream, constants as fsc } from 'node:fs';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';

const port = Number(process.env['CEILING_PORT'] ?? 9100);
const root = process.env['CEILING_DIR'] ?? '/tmp/coffer-ceiling';
const tmp = join(root, 'tmp');
const objects = join(root, 'objects');

function fileOf(path: string): string {
  return join(objects, encodeURIComponent(path.slice(1)));
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, fsc.O_RDONLY);
  try { await fh.sync(); } finally { await fh.close(); }
}

async function put(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  if (!path.slice(1).includes('/')) { // "CreateBucket"
    req.resume();
    res.writeHead(200, { 'content-length': 0 }).end();
    return;
  }
  const t = join(tmp, randomBytes(16).toString('hex'));
  const fh = await open(t, fsc.O_CREAT | fsc.O_EXCL | fsc.O_WRONLY, 0o600);
  try {
    let pos = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      let off = 0;
      while (off < chunk.length) {
        const { bytesWritten } = await fh.write(chunk, off, chunk.length - off, pos);
        off += bytesWritten;
        pos += bytesWritten;
      }
    }
    await fh.datasync();
  } finally {
    await fh.close();
  }
  await rename(t, fileOf(path));
  await syncDir(objects);
  res.writeHead(200, { 'content-length': 0, etag: '"ceiling"' }).end();
}

async function get(res: ServerResponse, path: string, head: boolean): Promise<void> {
  const f = fileOf(path);
  let size: number;
  try {
    size = (await stat(f)).size;
  } catch {
    res.writeHead(404, { 'content-length': 0 }).end();
    return;
  }
  res.writeHead(200, { 'content-length': size, 'content-type': 'application/octet-stream' });
  if (head) { res.end(); return; }
  const s = createReadStream(f, { highWaterMark: 256 * 1024 });
  s.on('error', () => res.destroy());
  s.pipe(res);
}

async function del(res: ServerResponse, path: string): Promise<void> {
  await unlink(fileOf(path)).catch(() => {});
  res.writeHead(204).end();
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const work = req.method === 'PUT' ? put(req, res, path)
    : req.method === 'GET' || req.method === 'HEAD' ? get(res, path, req.method === 'HEAD')
      : req.method === 'DELETE' ? del(res, path)
        : Promise.resolve(void res.writeHead(405, { 'content-length': 0 }).end());
  work.catch((e: unknown) => {
    if (res.headersSent) { res.destroy(); return; }
    const body = String(e instanceof Error ? e.message : e);
    res.writeHead(500, { 'content-length': Buffer.byteLength(body), connection: 'close' }).end(body);
  });
}

await mkdir(tmp, { recursive: true });
await mkdir(objects, { recursive: true });
const server = createServer(handle);
server.keepAliveTimeout = 65_000;
server.requestTimeout = 0;
server.listen(port, '127.0.0.1', () => process.stdout.write(`ceiling listening on ${port}\n`));
const stop = (): void => { server.close(() => process.exit(0)); server.closeAllConnections(); };
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
