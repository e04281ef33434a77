/** Serves a web-standard request handler on Node's http module (the local gateway and the dev API). */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestHandler } from './http-handler.ts';

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;

export async function serve(handler: (port: number) => RequestHandler, options: { host: string; port?: number }): Promise<RunningServer> {
  // The handler needs the bound port (for its Host/Origin allow-list), known only after listen().
  const bound: { handle?: RequestHandler; port?: number } = {};
  const server: Server = createServer((req, res) => {
    void dispatch(req, res);
  });
  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const request = await toRequest(req, options.host, bound.port!);
      if (!request) {
        res.writeHead(413, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'payload_too_large' }));
        return;
      }
      const response = await bound.handle!(request);
      res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'internal_error' }));
    }
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  bound.port = port;
  bound.handle = handler(port);
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function toRequest(req: IncomingMessage, host: string, port: number): Promise<Request | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) v.forEach((x) => headers.append(k, x));
    else if (v !== undefined) headers.set(k, v);
  }
  const method = req.method ?? 'GET';
  // The URL's authority is our own bind address; the client's Host header is kept in `headers` for the checks.
  const url = new URL(req.url ?? '/', `http://${host.includes(':') ? `[${host}]` : host}:${port}`);
  return new Request(url, {
    method,
    headers,
    ...(method === 'GET' || method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
  });
}
