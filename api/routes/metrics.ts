// metrics.k8s.io/v1beta1, as metrics-server serves it, computed on each request from the simulated
// load model (controllers/hpa/usage.ts — the numbers the HPA scales on): PodMetrics for running
// pods (namespaced and across namespaces, with labelSelector), NodeMetrics as the sum of a node's
// pods plus the node's own system overhead. `kubectl top pod|node` reads these (kubectl-surface.md
// §1.10); discovery lists the group (METRICS_DISCOVERY, used by discovery.ts).

import type { FastifyInstance } from 'fastify';
import { rfc3339 } from '../../core/clock.ts';
import { notFound } from '../../core/errors.ts';
import type { KObject } from '../../core/object.ts';
import { parseLabelSelector } from '../../core/selectors.ts';
import { containerUsage, podUsage, type Usage } from '../../controllers/hpa/usage.ts';
import { NODES, podsOn } from '../../controllers/nodes/node.ts';
import { PODS } from '../../controllers/runtime/pods.ts';
import type { ReadView } from '../../store/store.ts';
import type { ApiContext } from '../context.ts';
import { flatQuery } from './query.ts';

const GROUP = 'metrics.k8s.io';
const VERSION = 'v1beta1';
const GV = `${GROUP}/${VERSION}`;
const PREFIX = `/apis/${GV}`;
/** metrics-server's default resolution: each sample averages this window. */
const WINDOW = '15s';
/** What a node's kubelet, runtime and system daemons use beside its pods (a kind node at rest). */
const NODE_OVERHEAD: Usage = { cpu: 0.05, memory: 512 * 1024 * 1024 };

const RESOURCES = [
  { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] },
  { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] },
];

/** The group as discovery lists it: aggregated (apidiscovery v2) and legacy forms. */
export const METRICS_DISCOVERY = {
  aggregated: {
    metadata: { name: GROUP },
    versions: [
      {
        version: VERSION,
        freshness: 'Current',
        resources: RESOURCES.map((r) => ({
          resource: r.name,
          responseKind: { group: GROUP, version: VERSION, kind: r.kind },
          scope: r.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: r.name.slice(0, -1),
          verbs: r.verbs,
        })),
      },
    ],
  },
  legacy: { name: GROUP, versions: [{ groupVersion: GV, version: VERSION }], preferredVersion: { groupVersion: GV, version: VERSION } },
};

/** Quantities as metrics-server writes them: nanocores and KiB. */
const usageJson = (u: Usage) => ({ cpu: `${Math.round(u.cpu * 1e9)}n`, memory: `${Math.round(u.memory / 1024)}Ki` });

function podMetrics(pod: KObject, usage: Usage, now: number) {
  const m = pod.metadata;
  return {
    metadata: { name: m.name, namespace: m.namespace, creationTimestamp: rfc3339(now), ...(m.labels ? { labels: m.labels } : {}) },
    timestamp: rfc3339(now),
    window: WINDOW,
    containers: containerUsage(pod, usage).map((c) => ({ name: c.name, usage: usageJson(c.usage) })),
  };
}

function nodeMetrics(node: KObject, view: ReadView, now: number) {
  const total = { ...NODE_OVERHEAD };
  for (const pod of podsOn(view, node.metadata.name!)) {
    const u = podUsage(pod, view);
    total.cpu += u?.cpu ?? 0;
    total.memory += u?.memory ?? 0;
  }
  const m = node.metadata;
  return {
    metadata: { name: m.name, creationTimestamp: rfc3339(now), ...(m.labels ? { labels: m.labels } : {}) },
    timestamp: rfc3339(now),
    window: WINDOW,
    usage: usageJson(total),
  };
}

const list = (kind: string, items: unknown[]) => ({ kind, apiVersion: GV, metadata: {}, items });

function podMetricsList(view: ReadView, namespace: string | undefined, selector: string | undefined, now: number) {
  const matches = parseLabelSelector(selector ?? '');
  const items = [];
  for (const pod of view.list(PODS, { ...(namespace !== undefined ? { namespace } : {}), filter: (p) => matches(p.metadata.labels) }).items) {
    const usage = podUsage(pod, view);
    if (usage) items.push(podMetrics(pod, usage, now));
  }
  return list('PodMetricsList', items);
}

export function metricsRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const view = () => ctx.store;
  const selector = (q: unknown) => flatQuery(q).labelSelector;
  app.get('/apis/metrics.k8s.io', (_req, reply) => reply.send({ kind: 'APIGroup', apiVersion: 'v1', ...METRICS_DISCOVERY.legacy }));
  app.get(PREFIX, (_req, reply) => reply.send({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: GV, resources: RESOURCES }));
  app.get(`${PREFIX}/pods`, (req, reply) => reply.send(podMetricsList(view(), undefined, selector(req.query), ctx.clock.now())));
  app.get(`${PREFIX}/namespaces/:ns/pods`, (req, reply) =>
    reply.send(podMetricsList(view(), (req.params as { ns: string }).ns, selector(req.query), ctx.clock.now())),
  );
  app.get(`${PREFIX}/namespaces/:ns/pods/:name`, (req, reply) => {
    const { ns, name } = req.params as { ns: string; name: string };
    const pod = view().get(PODS, ns, name);
    const usage = pod && podUsage(pod, view());
    if (!pod || !usage) throw notFound({ group: GROUP, resource: 'pods' }, name);
    return reply.send({ kind: 'PodMetrics', apiVersion: GV, ...podMetrics(pod, usage, ctx.clock.now()) });
  });
  app.get(`${PREFIX}/nodes`, (req, reply) => {
    const matches = parseLabelSelector(selector(req.query) ?? '');
    const nodes = view().list(NODES, { filter: (n) => matches(n.metadata.labels) }).items;
    return reply.send(list('NodeMetricsList', nodes.map((n) => nodeMetrics(n, view(), ctx.clock.now()))));
  });
  app.get(`${PREFIX}/nodes/:name`, (req, reply) => {
    const { name } = req.params as { name: string };
    const node = view().get(NODES, '', name);
    if (!node) throw notFound({ group: GROUP, resource: 'nodes' }, name);
    return reply.send({ kind: 'NodeMetrics', apiVersion: GV, ...nodeMetrics(node, view(), ctx.clock.now()) });
  });
}
