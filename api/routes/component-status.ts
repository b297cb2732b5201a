// GET /api/v1/componentstatuses[/NAME] — `kubectl get cs`, deprecated since 1.19 but still served
// by kube-apiserver 1.32 (pkg/registry/core/componentstatus): a read-only list computed on each
// request, never stored, with the deprecation Warning kubectl prints above the table. Rewind's
// controller manager and scheduler run inside this server, and its store stands where etcd would,
// so while it answers all three are Healthy.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../core/errors.ts';
import type { KObject } from '../../core/object.ts';
import { refOf } from '../../core/registry.ts';
import type { ApiContext } from '../context.ts';
import { includeObject, wantsTable } from '../content.ts';
import { toTable } from '../table.ts';
import { addWarnings } from './warnings.ts';

const RES = 'v1/componentstatuses';
const DEPRECATED = 'v1 ComponentStatus is deprecated in v1.19+';
const COMPONENTS = ['controller-manager', 'scheduler', 'etcd-0'];

const componentStatus = (name: string): KObject => ({
  kind: 'ComponentStatus',
  apiVersion: 'v1',
  metadata: { name },
  conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }],
});

function send(ctx: ApiContext, req: FastifyRequest, reply: FastifyReply, items: KObject[], list: boolean) {
  addWarnings(reply, [DEPRECATED]);
  const q = req.query as Record<string, string | undefined>;
  if (wantsTable(req)) return reply.send(toTable(RES, items, { now: ctx.clock.now(), includeObject: includeObject(q), resourceVersion: '' }));
  return reply.send(list ? { kind: 'ComponentStatusList', apiVersion: 'v1', metadata: {}, items } : items[0]);
}

export function componentStatusRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/api/v1/componentstatuses', (req, reply) => send(ctx, req, reply, COMPONENTS.map(componentStatus), true));
  app.get('/api/v1/componentstatuses/:name', (req, reply) => {
    const { name } = req.params as { name: string };
    if (!COMPONENTS.includes(name)) throw notFound(refOf(RES), name);
    return send(ctx, req, reply, [componentStatus(name)], false);
  });
}
