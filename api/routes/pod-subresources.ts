// The pod subresources the apiserver implements itself: /binding (the scheduler's write: set
// spec.nodeName once, with the PodScheduled condition) and /eviction (a delete that policy may
// refuse; answered with a Status). Both reply 201 with a Success Status, as kube-apiserver does.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { rfc3339 } from '../../core/clock.ts';
import { badRequest, conflict, success } from '../../core/errors.ts';
import type { KObject } from '../../core/object.ts';
import { actorOf, type ApiContext } from '../context.ts';
import { decodeObjectBody } from '../content.ts';
import { deleteOne } from './delete.ts';
import { parseDeleteOptions } from './deletion.ts';
import { dryRun, type Query } from './query.ts';
import { objectNamespace, refOf, type Target } from './target.ts';

interface PodCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
}

export async function bindPod(ctx: ApiContext, t: Target, q: Query, req: FastifyRequest, reply: FastifyReply) {
  const body = decodeObjectBody(req) as { target?: { name?: string } };
  const node = body.target?.name;
  if (!node) throw badRequest('Binding target name is required');
  const now = rfc3339(ctx.clock.now());
  const apply = (pod: KObject): KObject => {
    const spec = (pod.spec ?? {}) as { nodeName?: string };
    if (spec.nodeName) throw conflict(refOf(t), t.name!, `pod ${t.name} is already assigned to node "${spec.nodeName}"`);
    const status = (pod.status ?? {}) as { conditions?: PodCondition[] };
    const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastTransitionTime: now });
    return { ...pod, spec: { ...spec, nodeName: node }, status: { ...status, conditions } };
  };
  await ctx.store.commit([{ op: 'patch', res: t.info.res, ns: objectNamespace(t), name: t.name!, apply }], { actor: actorOf(req), dryRun: dryRun(q) });
  return reply.code(201).send(success(201));
}

export async function evictPod(ctx: ApiContext, t: Target, q: Query, req: FastifyRequest, reply: FastifyReply) {
  const body = decodeObjectBody(req) as { deleteOptions?: Record<string, unknown> };
  await deleteOne(ctx, t, parseDeleteOptions(body.deleteOptions, q), req);
  return reply.code(201).send(success(201));
}
