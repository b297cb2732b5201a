// Importing a Kubernetes audit log (audit.k8s.io/v1 Event objects, one JSON per line, level
// RequestResponse) into a trace, so a real cluster's incident can be queried with at/history/diff/why.
//
// What becomes an event: a request at stage ResponseComplete whose verb writes (create, update, patch,
// delete), that succeeded (2xx) and carries a responseObject. The response is the object as stored:
//   create                       → ADDED
//   update / patch (incl. /status and other subresources returning the object) → MODIFIED
//   delete answered by the object (graceful: deletionTimestamp set, still there) → MODIFIED
//   delete answered by a Status  → DELETED, with the last state the log showed
// Subresources whose response is not the object (pods/binding, pods/eviction: a Status) are skipped:
// their effect shows in the object's next write. Requests are ordered by stageTimestamp (then by line).
//
// Revisions: the audit log's resourceVersions are etcd's, neither gap-free nor ours, so events are
// numbered 1…N and each object's metadata.resourceVersion is rewritten to its event's rev (Rewind's
// rule: an object's resourceVersion is the rev of its last write). Actors come from the user:
//   system:serviceaccount:kube-system:<name>-controller → controller <name>
//   system:kube-scheduler → scheduler;  system:node:<node> → kubelet <node>
//   system:kube-controller-manager → controller kube-controller-manager;  anyone else → user.
// Audit logs carry no causes, so imported events have none.

import type { Actor, Event } from '../core/events.ts';
import type { KObject } from '../core/object.ts';
import { lookupResource } from '../core/registry.ts';

interface AuditEvent {
  kind?: string;
  apiVersion?: string;
  level?: string;
  stage?: string;
  verb?: string;
  user?: { username?: string; groups?: string[] };
  userAgent?: string;
  objectRef?: { resource?: string; namespace?: string; name?: string; apiGroup?: string; apiVersion?: string; subresource?: string };
  responseStatus?: { code?: number };
  responseObject?: KObject & { status?: unknown };
  stageTimestamp?: string;
}

const WRITES = new Set(['create', 'update', 'patch', 'delete']);

export interface AuditImport {
  events: Event[];
  /** Lines read, and lines that became no event (reads, failures, other stages or levels). */
  lines: number;
  skipped: number;
  /** Lines that were not JSON audit events, with their line numbers. */
  invalid: number[];
}

export function importAudit(text: string): AuditImport {
  const lines = text.split('\n');
  const accepted: { line: number; ts: number; entry: AuditEvent }[] = [];
  const invalid: number[] = [];
  let count = 0;
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    count++;
    let entry: AuditEvent;
    try {
      entry = JSON.parse(raw) as AuditEvent;
    } catch {
      invalid.push(i + 1);
      return;
    }
    if (entry.kind !== 'Event' || !entry.apiVersion?.startsWith('audit.k8s.io/')) return void invalid.push(i + 1);
    const ts = Date.parse(entry.stageTimestamp ?? '');
    if (isWrite(entry) && Number.isFinite(ts)) accepted.push({ line: i, ts, entry });
  });
  accepted.sort((a, b) => a.ts - b.ts || a.line - b.line);
  const last = new Map<string, KObject>();
  const events: Event[] = [];
  for (const { ts, entry } of accepted) {
    const e = eventOf(entry, ts, events.length + 1, last);
    if (!e) continue;
    events.push(e);
    const key = `${e.res}|${e.ns}|${e.name}`;
    if (e.type === 'DELETED') last.delete(key);
    else last.set(key, e.object);
  }
  return { events, lines: count, skipped: count - invalid.length - events.length, invalid };
}

function isWrite(e: AuditEvent): boolean {
  const code = e.responseStatus?.code ?? 0;
  return e.stage === 'ResponseComplete' && e.level === 'RequestResponse' && WRITES.has(e.verb ?? '') && code >= 200 && code < 300 && e.responseObject !== undefined;
}

function eventOf(a: AuditEvent, ts: number, rev: number, last: Map<string, KObject>): Event | undefined {
  const ref = a.objectRef ?? {};
  const info = lookupResource(ref.apiGroup ?? '', ref.apiVersion ?? 'v1', ref.resource ?? '');
  if (!info) return undefined;
  const response = a.responseObject!;
  const isObject = response.kind === info.kind;
  const ns = info.scope === 'Cluster' ? '' : (ref.namespace ?? response.metadata?.namespace ?? '');
  const name = ref.name ?? response.metadata?.name;
  if (!name) return undefined;
  const key = `${info.res}|${ns}|${name}`;
  let type: Event['type'];
  let object: KObject | undefined;
  if (a.verb === 'delete') {
    type = isObject && response.metadata?.deletionTimestamp ? 'MODIFIED' : 'DELETED';
    object = isObject ? response : last.get(key);
  } else {
    if (!isObject) return undefined; // pods/binding, pods/eviction: a Status, not the object
    type = a.verb === 'create' && !ref.subresource ? 'ADDED' : 'MODIFIED';
    object = response;
  }
  if (!object) return undefined;
  const stamped = { ...object, metadata: { ...object.metadata, resourceVersion: String(rev) } } as KObject;
  return { rev, ts, type, res: info.res, ns, name, object: stamped, actor: actorOf(a) };
}

export function actorOf(a: AuditEvent): Actor {
  const user = a.user?.username ?? 'unknown';
  const sa = /^system:serviceaccount:kube-system:(.+)-controller$/.exec(user);
  if (sa) return { kind: 'controller', name: sa[1] };
  if (user === 'system:kube-scheduler') return { kind: 'scheduler', name: 'scheduler' };
  const node = /^system:node:(.+)$/.exec(user);
  if (node) return { kind: 'kubelet', name: node[1] };
  if (user === 'system:kube-controller-manager') return { kind: 'controller', name: 'kube-controller-manager' };
  const actor: Actor = { kind: 'user', name: user };
  if (a.user?.groups?.length) actor.groups = a.user.groups;
  if (a.userAgent) actor.userAgent = a.userAgent;
  return actor;
}
