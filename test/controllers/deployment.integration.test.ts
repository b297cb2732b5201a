// Deployments end to end on the real store, runtime and a virtual clock (seed 003's deployment,
// seed 000's rollout commands): hash-named replica sets, scaling, rolling update bounds checked on
// the event log, history, undo back to the first replica set, pause, Recreate, deadline, cleanup.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Event } from '../../core/events.ts';
import { podTemplateHash } from '../../core/hash.ts';
import type { KObject } from '../../core/object.ts';
import type { Deployment, ReplicaSet } from '../../controllers/deployment/util.ts';
import { isPodReady } from '../../controllers/runtime/pods.ts';
import { cluster, type Cluster } from './harness.ts';

const DEPLOY = 'apps/v1/deployments';
const RS = 'apps/v1/replicasets';
const PODS = 'v1/pods';

// seed 003's deployment.yaml, as the seed writes it (namespace added: there is no API to default it).
const seed003 = readFileSync(new URL('../kubectl/seed-manifests/003-deployment.yaml', import.meta.url), 'utf8');
const myApp = (): Deployment => {
  const d = parse(seed003) as Deployment;
  d.metadata.namespace = 'default';
  return d;
};

/** What kubectl set image / rollout restart / scale / pause do: an update of the current object. */
async function edit(c: Cluster, name: string, change: (d: Deployment) => void): Promise<void> {
  const d = structuredClone(c.get<Deployment>(DEPLOY, name));
  change(d);
  await c.apply({ op: 'update', res: DEPLOY, object: d });
}

const setImage = (image: string) => (d: Deployment) => {
  (d.spec.template!.spec!.containers as { image: string }[])[0].image = image;
};

async function events(c: Cluster, fromRev = 0): Promise<Event[]> {
  const out: Event[] = [];
  for await (const e of c.store.read(fromRev)) out.push(e);
  return out;
}

t.test('apply seed 003: one replica set named <deployment>-<template hash> with 3 owned pods', async (t) => {
  const c = await cluster();
  t.teardown(() => c.stop());
  await c.apply({ op: 'create', res: DEPLOY, object: myApp() });
  const d = c.get<Deployment>(DEPLOY, 'my-app');
  const rss = c.list(RS) as ReplicaSet[];
  t.equal(rss.length, 1);
  const rs = rss[0];
  const hash = podTemplateHash(d.spec.template);
  t.equal(rs.metadata.name, `my-app-${hash}`);
  t.equal(rs.spec.template!.metadata!.labels!['pod-template-hash'], hash);
  t.same(rs.spec.selector, { matchLabels: { app: 'my-app', 'pod-template-hash': hash } });
  t.match(rs.metadata.ownerReferences, [{ kind: 'Deployment', name: 'my-app', uid: d.metadata.uid, controller: true }]);
  const pods = c.list(PODS);
  t.equal(pods.length, 3);
  for (const p of pods) {
    t.match(p.metadata.name, new RegExp(`^my-app-${hash}-[a-z0-9]{5}$`));
    t.match(p.metadata.ownerReferences, [{ kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid, controller: true }]);
    t.equal(p.metadata.labels!['pod-template-hash'], hash);
  }
  t.match(d.status, { observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
  t.match(d.status!.conditions, [
    { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
    { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
  ]);
  t.equal(d.metadata.annotations!['deployment.kubernetes.io/revision'], '1');
  const log = await events(c);
  const podCreate = log.find((e) => e.res === PODS && e.type === 'ADDED')!;
  t.same(podCreate.actor, { kind: 'controller', name: 'replicaset' });
  t.equal(log[podCreate.cause! - 1].res, RS, 'pods were caused by a replica set event');
  const scaled = c.list('v1/events').map((e) => e.message);
  t.ok(scaled.includes(`Scaled up replica set my-app-${hash} from 0 to 3`));
});

t.test('a deleted pod is replaced; scale changes the pod count', async (t) => {
  const c = await cluster();
  t.teardown(() => c.stop());
  await c.apply({ op: 'create', res: DEPLOY, object: myApp() });
  const victim = c.list(PODS)[0].metadata.name!;
  await c.apply({ op: 'delete', res: PODS, ns: 'default', name: victim });
  const names = c.list(PODS).map((p) => p.metadata.name);
  t.equal(names.length, 3);
  t.notOk(names.includes(victim));
  await edit(c, 'my-app', (d) => (d.spec.replicas = 5));
  t.equal(c.list(PODS).length, 5);
  t.equal((c.list(RS)[0] as ReplicaSet).spec.replicas, 5);
  await edit(c, 'my-app', (d) => (d.spec.replicas = 2));
  t.equal(c.list(PODS).length, 2);
  t.match(c.get<Deployment>(DEPLOY, 'my-app').status, { replicas: 2, availableReplicas: 2 });
});

/** Pods alive (not terminating) and available at every revision of the log from `fromRev`. */
function podCountsOverTime(log: Event[], initial: KObject[]): { alive: number; available: number }[] {
  const pods = new Map(initial.map((p) => [p.metadata.name!, p]));
  const out: { alive: number; available: number }[] = [];
  for (const e of log) {
    if (e.res !== PODS) continue;
    if (e.type === 'DELETED') pods.delete(e.name);
    else pods.set(e.name, e.object);
    const alive = [...pods.values()].filter((p) => !p.metadata.deletionTimestamp);
    out.push({ alive: alive.length, available: alive.filter(isPodReady).length });
  }
  return out;
}

t.test('set image: a rolling update never exceeds replicas+maxSurge pods nor drops below replicas-maxUnavailable available', async (t) => {
  const c = await cluster();
  t.teardown(() => c.stop());
  const d = myApp();
  d.spec.replicas = 10;
  d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '30%', maxUnavailable: 2 } };
  await c.apply({ op: 'create', res: DEPLOY, object: d });
  const before = c.list(PODS);
  const from = c.store.rev;
  await edit(c, 'my-app', setImage('nginx:1.27'));
  const counts = podCountsOverTime(await events(c, from), before);
  t.ok(counts.length > 20, 'the rollout replaced pods');
  // maxSurge 30% of 10 rounds up to 3; maxUnavailable 2.
  t.equal(Math.max(...counts.map((x) => x.alive)), 13, 'surged to exactly 10 + 3');
  t.ok(counts.every((x) => x.alive <= 13));
  t.ok(counts.every((x) => x.available >= 8), `min available ${Math.min(...counts.map((x) => x.available))}`);
  const pods = c.list(PODS);
  t.equal(pods.length, 10);
  t.ok(pods.every((p) => (p.spec as { containers: { image: string }[] }).containers[0].image === 'nginx:1.27'));
  const final = c.get<Deployment>(DEPLOY, 'my-app');
  t.match(final.status, { observedGeneration: 2, replicas: 10, updatedReplicas: 10, availableReplicas: 10 });
  t.equal(final.metadata.annotations!['deployment.kubernetes.io/revision'], '2');
});

t.test('rollout history, undo --to-revision=1 returns to the first replica set, restart makes a new one', async (t) => {
  const c = await cluster();
  t.teardown(() => c.stop());
  const d = myApp();
  d.metadata.annotations = { 'kubernetes.io/change-cause': 'kubectl apply --record' };
  await c.apply({ op: 'create', res: DEPLOY, object: d });
  const first = c.list(RS)[0] as ReplicaSet;
  await edit(c, 'my-app', (d) => {
    setImage('nginx:1.27')(d);
    d.metadata.annotations!['kubernetes.io/change-cause'] = 'kubectl set image deployment/my-app web=nginx:1.27';
  });
  const rss = c.list(RS) as ReplicaSet[];
  t.equal(rss.length, 2);
  const second = rss.find((r) => r.metadata.name !== first.metadata.name)!;
  t.same(
    rss.map((r) => [r.metadata.name, r.metadata.annotations!['deployment.kubernetes.io/revision'], r.metadata.annotations!['kubernetes.io/change-cause']]).sort(),
    [
      [first.metadata.name, '1', 'kubectl apply --record'],
      [second.metadata.name, '2', 'kubectl set image deployment/my-app web=nginx:1.27'],
    ].sort(),
    'each revision keeps its change cause (what rollout history lists)',
  );
  // kubectl rollout undo --to-revision=1: the template of revision 1, minus pod-template-hash, as
  // kubectl serializes it from its Go struct (creationTimestamp: null).
  const template = structuredClone(first.spec.template!) as ReplicaSet['spec']['template'] & { metadata: Record<string, unknown> };
  delete template.metadata.labels!['pod-template-hash'];
  template.metadata.creationTimestamp = null;
  await edit(c, 'my-app', (d) => (d.spec.template = template));
  const after = c.list(RS) as ReplicaSet[];
  t.equal(after.length, 2, 'no third replica set');
  const back = after.find((r) => r.metadata.name === first.metadata.name)!;
  t.equal(back.spec.replicas, 3);
  t.equal(back.metadata.annotations!['deployment.kubernetes.io/revision'], '3');
  t.equal(back.metadata.annotations!['deployment.kubernetes.io/revision-history'], '1');
  t.equal(after.find((r) => r.metadata.name === second.metadata.name)!.spec.replicas, 0);
  t.ok(c.list(PODS).every((p) => p.metadata.labels!['pod-template-hash'] === first.metadata.labels!['pod-template-hash']));
  t.equal(c.get<Deployment>(DEPLOY, 'my-app').metadata.annotations!['deployment.kubernetes.io/revision'], '3');
  // kubectl rollout restart: a template annotation.
  await edit(c, 'my-app', (d) => (d.spec.template!.metadata!.annotations = { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:10:00Z' }));
  t.equal(c.list(RS).length, 3);
  t.ok(c.list(PODS).every((p) => p.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'] === '2026-01-01T00:10:00Z'));
});

t.test('paused: a template change waits; resume rolls it out', async (t) => {
  const c = await cluster();
  t.teardown(() => c.stop());
  await c.apply({ op: 'create', res: DEPLOY, object: myApp() });
  await edit(c, 'my-app', (d) => (d.spec.paused = true));
  t.match(c.get<Deployment>(DEPLOY, 'my-app').status!.conditions, [{}, { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused' }]);
  await edit(c, 'my-app', setImage('nginx:1.27'));
  t.equal(c.list(RS).length, 1, 'no new replica set while paused');
  await edit(c, 'my-app', (d) => (d.spec.paused = false));
  t.equal(c.list(RS).length, 2);
  t.match(c.get<Deployment>(DEPLOY, 'my-app').status, { updatedReplicas: 3, availableReplicas: 3 });
});

t.test('Recreate: old pods are all gone before any new pod exists', async (t) => {
  const c = await cluster();
  t.teardown(() => c.stop());
  const d = myApp();
  d.spec.strategy = { type: 'Recreate' };
  await c.apply({ op: 'create', res: DEPLOY, object: d });
  const oldHash = c.list(PODS)[0].metadata.labels!['pod-template-hash'];
  const from = c.store.rev;
  await edit(c, 'my-app', setImage('nginx:1.27'));
  let mixed = false;
  const current = new Map<string, string>();
  for (const e of await events(c, 0)) {
    if (e.res !== PODS) continue;
    if (e.type === 'DELETED') current.delete(e.name);
    else current.set(e.name, e.object.metadata.labels!['pod-template-hash']);
    if (e.rev > from && new Set(current.values()).size > 1) mixed = true;
  }
  t.notOk(mixed, 'never old and new pods at once');
  const pods = c.list(PODS);
  t.equal(pods.length, 3);
  t.ok(pods.every((p) => p.metadata.labels!['pod-template-hash'] !== oldHash));
});

t.test('no progress within progressDeadlineSeconds: Progressing=False ProgressDeadlineExceeded', async (t) => {
  const c = await cluster({ kubelet: false });
  t.teardown(() => c.stop());
  const d = myApp();
  d.spec.progressDeadlineSeconds = 60;
  await c.apply({ op: 'create', res: DEPLOY, object: d });
  await c.settle(3_600_000);
  const rsName = c.list(RS)[0].metadata.name;
  t.match(c.get<Deployment>(DEPLOY, 'my-app').status!.conditions, [
    { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' },
    { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rsName}" has timed out progressing.` },
  ]);
  t.ok(c.clock.now() - Date.UTC(2026, 0, 1) >= 60_000, 'the clock moved past the deadline');
});

t.test('revisionHistoryLimit keeps that many old replica sets', async (t) => {
  const c = await cluster();
  t.teardown(() => c.stop());
  const d = myApp();
  d.spec.revisionHistoryLimit = 1;
  await c.apply({ op: 'create', res: DEPLOY, object: d });
  for (const tag of ['1.25', '1.26', '1.27']) await edit(c, 'my-app', setImage(`nginx:${tag}`));
  const rss = (c.list(RS) as ReplicaSet[]).map((r) => [r.metadata.annotations!['deployment.kubernetes.io/revision'], r.spec.replicas]).sort();
  t.same(rss, [
    ['3', 0],
    ['4', 3],
  ]);
});
