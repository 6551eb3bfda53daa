import { createServer as createHttpServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { s3Error } from '../errors/s3.js';
import { encodeS3Error } from '../protocols/errors.js';
import type { App } from './app.js';
import { createDispatcher } from './dispatch.js';

const MAX_HEADER_BYTES = 64 * 1024;

export interface Listening {
  http: Server;
  https?: Server;
  port: number;
  tlsPort?: number;
  close(): Promise<void>;
}

function configure(server: Server, dispatch: ReturnType<typeof createDispatcher>): void {
  // Large uploads take as long as they take; idle sockets are what we time out.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 65_000;
  server.setTimeout(300_000);
  // The response each socket is serving, so a parser error never writes over one already begun.
  const serving = new WeakMap<Duplex, ServerResponse>();
  const track = (req: IncomingMessage, res: ServerResponse): void => {
    serving.set(req.socket, res);
    dispatch(req, res);
  };
  server.on('request', track);
  // S3 ignores Expect values it does not know; Node would answer 417 on its own.
  server.on('checkExpectation', track);
  // 100-continue is sent when the handler first reads the body, after authentication.
  server.on('checkContinue', track);
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => answerClientError(err, socket, serving.get(socket)));
}

/**
 * Errors of Node's HTTP parser, answered in S3's shape rather than Node's bare 400/431:
 * a body cut short before its Content-Length (the client closed its side) is IncompleteBody,
 * oversized headers RequestHeaderSectionTooLarge. The socket is closed afterwards, as Node does.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex, res: ServerResponse | undefined): void {
  const begun = res !== undefined && res.headersSent && !res.writableFinished;
  if (err.code !== 'ECONNRESET' && socket.writable && !begun) {
    const e = err.code === 'HPE_HEADER_OVERFLOW' ? s3Error('RequestHeaderSectionTooLarge', undefined, { MaxSizeAllowed: MAX_HEADER_BYTES })
      : err.code === 'HPE_INVALID_EOF_STATE' ? s3Error('IncompleteBody')
        : s3Error('BadRequest');
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    const enc = encodeS3Error(e, requestId, randomBytes(24).toString('base64'));
    const headers = { ...enc.headers, 'x-amz-request-id': requestId, 'Content-Length': String(Buffer.byteLength(enc.body)), Connection: 'close' };
    socket.write(`HTTP/1.1 ${enc.status} ${STATUS_CODES[enc.status] ?? ''}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${enc.body}`);
  }
  socket.destroy(err);
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startListeners(app: App): Promise<Listening> {
  const dispatch = createDispatcher(app);
  const http = createHttpServer({ maxHeaderSize: MAX_HEADER_BYTES });
  configure(http, dispatch);
  const port = await listen(http, app.config.port, app.config.host);
  const out: Listening = {
    http,
    port,
    async close() {
      const closing = [http, out.https].filter(Boolean).map((s) => new Promise<void>((r) => { s!.close(() => r()); s!.closeAllConnections(); }));
      await Promise.all(closing);
    },
  };
  if (app.config.tlsPort !== undefined) {
    const https = createHttpsServer({ cert: readFileSync(app.config.tlsCert!), key: readFileSync(app.config.tlsKey!), maxHeaderSize: MAX_HEADER_BYTES });
    configure(https as unknown as Server, dispatch);
    out.https = https as unknown as Server;
    out.tlsPort = await listen(out.https, app.config.tlsPort, app.config.host);
  }
  return out;
}
