// Discovery, from the registry: /api and /apis in the aggregated format (apidiscovery.k8s.io/v2,
// two requests for all of discovery) when Accept asks for it, else the legacy APIVersions /
// APIGroupList; and the legacy per-group-version APIResourceLists. Short names and categories are
// what make `kubectl get po` and `kubectl get all` resolve (kubectl-surface.md §1.2).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pathNotFound } from '../../core/errors.ts';
import { groups, groupVersion, resourcesIn, type ResourceInfo } from '../../core/registry.ts';
import { wantsAggregatedDiscovery } from '../content.ts';
import { METRICS_DISCOVERY } from './metrics.ts';

/** The exact Content-Type kubectl requires; as plain application/json it sees no resources at all. */
export const AGGREGATED_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** Subresources that answer with another kind than the parent's. */
const SUBRESOURCE_KINDS: Record<string, { group: string; version: string; kind: string }> = {
  scale: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
  binding: { group: '', version: 'v1', kind: 'Binding' },
  eviction: { group: 'policy', version: 'v1', kind: 'Eviction' },
};

const SUBRESOURCE_VERBS: Record<string, string[]> = {
  status: ['get', 'patch', 'update'],
  scale: ['get', 'patch', 'update'],
  ephemeralcontainers: ['get', 'patch', 'update'],
  binding: ['create'],
  eviction: ['create'],
};

function aggregatedResource(r: ResourceInfo, version: string) {
  const out: Record<string, unknown> = {
    resource: r.plural,
    responseKind: { group: r.group, version, kind: r.kind },
    scope: r.scope,
    singularResource: r.singular,
    verbs: r.verbs,
  };
  if (r.shortNames.length) out.shortNames = r.shortNames;
  if (r.categories.length) out.categories = r.categories;
  if (r.subresources.length) {
    out.subresources = r.subresources.map((sub) => ({
      subresource: sub,
      responseKind: SUBRESOURCE_KINDS[sub] ?? { group: r.group, version, kind: r.kind },
      verbs: SUBRESOURCE_VERBS[sub] ?? ['get'],
    }));
  }
  return out;
}

function aggregatedGroup(group: string, versions: string[]) {
  return {
    metadata: group ? { name: group } : {},
    versions: versions.map((version) => ({
      version,
      freshness: 'Current',
      resources: resourcesIn(group, version).map((r) => aggregatedResource(r, version)),
    })),
  };
}

function aggregatedList(items: unknown[]) {
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}

function legacyGroup(group: string, versions: string[]) {
  const gvs = versions.map((version) => ({ groupVersion: groupVersion(group, version), version }));
  return { name: group, versions: gvs, preferredVersion: gvs[0] };
}

function resourceList(group: string, version: string) {
  const resources: Record<string, unknown>[] = [];
  for (const r of resourcesIn(group, version)) {
    const base = { singularName: r.singular, namespaced: r.scope === 'Namespaced', kind: r.kind, verbs: r.verbs };
    const entry: Record<string, unknown> = { name: r.plural, ...base };
    if (r.shortNames.length) entry.shortNames = r.shortNames;
    if (r.categories.length) entry.categories = r.categories;
    resources.push(entry);
    for (const sub of r.subresources) {
      const kind = SUBRESOURCE_KINDS[sub];
      resources.push({
        name: `${r.plural}/${sub}`,
        singularName: '',
        namespaced: base.namespaced,
        ...(kind ? { group: kind.group, version: kind.version, kind: kind.kind } : { kind: r.kind }),
        verbs: SUBRESOURCE_VERBS[sub] ?? ['get'],
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion(group, version), resources };
}

function serverAddress(req: FastifyRequest) {
  return [{ clientCIDR: '0.0.0.0/0', serverAddress: req.headers.host ?? '' }];
}

export function discoveryRoutes(app: FastifyInstance): void {
  const all = groups();
  const core = all.find((g) => g.group === '')!;
  const named = all.filter((g) => g.group !== '');

  app.get('/api', (req, reply) => {
    if (wantsAggregatedDiscovery(req)) return sendAggregated(reply, [aggregatedGroup('', core.versions)]);
    return reply.send({ kind: 'APIVersions', versions: core.versions, serverAddressByClientCIDRs: serverAddress(req) });
  });
  app.get('/apis', (req, reply) => {
    if (wantsAggregatedDiscovery(req)) return sendAggregated(reply, [...named.map((g) => aggregatedGroup(g.group, g.versions)), METRICS_DISCOVERY.aggregated]);
    return reply.send({ kind: 'APIGroupList', apiVersion: 'v1', groups: [...named.map((g) => legacyGroup(g.group, g.versions)), METRICS_DISCOVERY.legacy] });
  });
  app.get('/api/v1', (_req, reply) => reply.send(resourceList('', 'v1')));
  app.get('/apis/:group', (req, reply) => {
    const g = named.find((x) => x.group === (req.params as { group: string }).group);
    if (!g) throw pathNotFound();
    return reply.send({ kind: 'APIGroup', apiVersion: 'v1', ...legacyGroup(g.group, g.versions) });
  });
  app.get('/apis/:group/:version', (req, reply) => {
    const { group, version } = req.params as { group: string; version: string };
    if (!named.some((g) => g.group === group && g.versions.includes(version))) throw pathNotFound();
    return reply.send(resourceList(group, version));
  });
}

function sendAggregated(reply: FastifyReply, items: unknown[]) {
  // With the charset already there fastify leaves the header as written (it would re-quote it otherwise).
  return reply.header('content-type', `${AGGREGATED_TYPE};charset=utf-8`).send(JSON.stringify(aggregatedList(items)));
}
