// The hand-written audit fixture (a deployment created, scaled, a pod deleted gracefully) imports into
// a trace that, replayed, answers at/history queries as the cluster was.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { importAudit } from '../../replays/import-audit.ts';
import { replayRecorded } from '../../replays/replay.ts';
import { readTrace, TraceWriter } from '../../replays/trace.ts';
import { classicDb, LevelStore } from '../../store/index.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/audit/incident.log', import.meta.url));
const at = (iso: string) => Date.parse(iso);

t.test('an audit log imports into a trace that answers at queries', async (t) => {
  const r = importAudit(readFileSync(FIXTURE, 'utf8'));
  t.equal(r.lines, 15);
  t.equal(r.events.length, 10, 'creates, updates, patches (incl. status) and deletes');
  t.equal(r.skipped, 5, 'binding, get, 409, Metadata level and RequestReceived stage');
  t.same(r.invalid, []);
  t.same(r.events.map((e) => e.rev), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'gap-free revisions');
  t.same(r.events[0].actor, { kind: 'user', name: 'alice@example.com', groups: ['dev', 'system:authenticated'], userAgent: 'kubectl/v1.32.0 (linux/amd64) kubernetes/70d3cc9' });
  t.same(r.events[1].actor, { kind: 'controller', name: 'deployment' });
  t.same(r.events[4].actor, { kind: 'kubelet', name: 'node-1' });

  const dir = mkdtempSync(join(tmpdir(), 'rewind-audit-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const w = await TraceWriter.create(join(dir, 'c.trace'), { from: 0, to: 10, fromTime: r.events[0].ts, toTime: r.events[9].ts, baseEvents: 0, events: 10, source: 'audit' }, []);
  for (const e of r.events) await w.add(e);
  await w.close();
  await replayRecorded(await readTrace(join(dir, 'c.trace')), classicDb(join(dir, 'data')));
  const store = await LevelStore.open(classicDb(join(dir, 'data')));
  t.teardown(() => store.close());

  const before = await store.at({ time: at('2026-11-22T10:04:00Z') });
  t.match(before.get('apps/v1/deployments', 'default', 'web'), { spec: { replicas: 2 }, metadata: { resourceVersion: '1' } });
  t.equal(before.list('v1/pods').items.length, 2);
  t.match(before.get('v1/pods', 'default', 'web-7d9c8f6b5-x2b4q'), { spec: { nodeName: 'node-1' }, status: { phase: 'Running' } }, 'the status patch shows');
  const scaled = await store.at({ time: at('2026-11-22T10:06:00Z') });
  t.match(scaled.get('apps/v1/replicasets', 'default', 'web-7d9c8f6b5'), { spec: { replicas: 4 } });
  t.equal(scaled.list('v1/pods').items.length, 3);
  const terminating = await store.at({ time: at('2026-11-22T10:10:10Z') });
  t.ok(terminating.get('v1/pods', 'default', 'web-7d9c8f6b5-m8k7d')?.metadata.deletionTimestamp, 'a graceful delete leaves the pod terminating');
  t.equal(store.get('v1/pods', 'default', 'web-7d9c8f6b5-m8k7d'), undefined, 'then it is gone');
  const h = await store.history('v1/pods', 'default', 'web-7d9c8f6b5-m8k7d');
  t.same(h.map((e) => `${e.type} ${e.actor.kind}`), ['ADDED controller', 'MODIFIED user', 'DELETED kubelet']);
});

t.test('lines that are not audit events are reported, not fatal', async (t) => {
  const r = importAudit('not json\n{"kind":"Pod"}\n');
  t.same(r.invalid, [1, 2]);
  t.same(r.events, []);
});
