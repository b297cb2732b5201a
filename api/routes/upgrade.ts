// The streaming pod subresources that switch protocols — exec (exec.ts), attach (attach.ts) and
// port-forward (port-forward.ts) — share the HTTP server's one 'upgrade' event: each handler claims the paths it
// serves; any other upgrade request, and a WebSocket-less request to those paths, gets the
// apiserver's 400 `Upgrade request required` as a Status.

import type { FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { badRequest, isStatusError, type StatusError } from '../../core/errors.ts';
import type { ApiContext } from '../context.ts';
import { attachUpgrade } from './attach.ts';
import { execUpgrade } from './exec.ts';
import { portForwardUpgrade } from './port-forward.ts';

/** Handles the upgrade and returns true when the path is its own; false leaves it to the next. */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean;

/** A Status reply written on the raw socket, before any protocol switch (kubectl prints it). */
export function refuse(socket: Duplex, err: StatusError): void {
  const body = JSON.stringify(err.status);
  socket.end(`HTTP/1.1 ${err.code} ${err.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export function upgradeRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const handlers = [execUpgrade(ctx), attachUpgrade(ctx), portForwardUpgrade(ctx)];
  app.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') return refuse(socket, badRequest('Upgrade request required'));
    try {
      if (!handlers.some((handle) => handle(req, socket, head))) refuse(socket, badRequest('Upgrade request required'));
    } catch (err) {
      // A path that does not decode (`%E0%A4%A`) must not reach the process as an uncaught error.
      refuse(socket, isStatusError(err) ? err : badRequest(`invalid request path: ${(err as Error).message}`));
    }
  });
  const plain = async () => {
    throw badRequest('Upgrade request required');
  };
  for (const sub of ['exec', 'attach', 'portforward']) {
    app.get(`/api/v1/namespaces/:namespace/pods/:name/${sub}`, plain);
    app.post(`/api/v1/namespaces/:namespace/pods/:name/${sub}`, plain);
  }
}
