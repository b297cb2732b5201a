// The pod subresources the apiserver implements itself: /binding (the scheduler's write: set
// spec.nodeName once, with the PodScheduled condition) and /eviction (a delete that a
// PodDisruptionBudget may refuse). Both reply 201 with a Success Status, as kube-apiserver does.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { rfc3339 } from '../../core/clock.ts';
import { badRequest, conflict, evictionBlocked, notFound, success } from '../../core/errors.ts';
import { selectorFromSpec, type LabelSelector } from '../../core/selectors.ts';
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
  const pod = ctx.store.get(t.info.res, objectNamespace(t), t.name!);
  if (!pod) throw notFound(refOf(t), t.name!);
  checkDisruptionBudgets(ctx, pod);
  await deleteOne(ctx, t, parseDeleteOptions(body.deleteOptions, q), req);
  return reply.code(201).send(success(201));
}

interface DisruptionBudget {
  spec?: { selector?: LabelSelector };
  status?: { disruptionsAllowed?: number; desiredHealthy?: number; currentHealthy?: number };
}

/**
 * An eviction goes through only if every PodDisruptionBudget selecting the pod still allows a
 * disruption (status.disruptionsAllowed, kept by the disruption controller). A pod that has already
 * finished can always be evicted, as in kube-apiserver.
 */
function checkDisruptionBudgets(ctx: ApiContext, pod: KObject): void {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return;
  const pdbs = ctx.store.list('policy/v1/poddisruptionbudgets', { namespace: pod.metadata.namespace }).items;
  for (const pdb of pdbs) {
    const { spec, status } = pdb as KObject & DisruptionBudget;
    if (!selectorFromSpec(spec?.selector)(pod.metadata.labels)) continue;
    if ((status?.disruptionsAllowed ?? 0) < 1) {
      throw evictionBlocked(pdb.metadata.name ?? '', status?.desiredHealthy ?? 0, status?.currentHealthy ?? 0);
    }
  }
}
