import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { App } from './app.js';
import { createDispatcher } from './dispatch.js';

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
  server.on('request', dispatch);
  // S3 ignores Expect values it does not know; Node would answer 417 on its own.
  server.on('checkExpectation', dispatch);
  // 100-continue is sent when the handler first reads the body, after authentication.
  server.on('checkContinue', dispatch);
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
  const http = createHttpServer({ maxHeaderSize: 64 * 1024 });
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
    const https = createHttpsServer({ cert: readFileSync(app.config.tlsCert!), key: readFileSync(app.config.tlsKey!), maxHeaderSize: 64 * 1024 });
    configure(https as unknown as Server, dispatch);
    out.https = https as unknown as Server;
    out.tlsPort = await listen(out.https, app.config.tlsPort, app.config.host);
  }
  return out;
}
