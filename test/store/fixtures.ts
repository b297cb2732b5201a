// Shared helpers for the store tests: backends (one factory per abstract-level database), objects,
// and state comparison.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLevel } from 'memory-level';
import type { Event } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import { openStore, type Db } from '../../store/index.ts';
import type { LevelStore } from '../../store/level-store.ts';
import type { Store, StoreOptions } from '../../store/store.ts';

export type TestStore = Store & Pick<LevelStore, 'batchSizes'>;

/** One database: `open` may be called again after `close` to reopen the same data. */
export interface Backend {
  open(opts?: StoreOptions): Promise<TestStore>;
  cleanup(): void;
}

export interface BackendFactory {
  name: string;
  create(): Backend;
}

export const memoryBackend: BackendFactory = {
  name: 'memory-level',
  create() {
    const db = new MemoryLevel<Buffer, Buffer>({ keyEncoding: 'buffer', valueEncoding: 'buffer' }) as unknown as Db;
    return { open: (opts) => openStore({ ...opts, db }), cleanup: () => {} };
  },
};

export function tempDir(prefix = 'rewind-store-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export const classicBackend: BackendFactory = {
  name: 'classic-level',
  create() {
    const dir = tempDir();
    return {
      open: (opts) => openStore({ ...opts, path: join(dir, 'db') }),
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

export const user = { kind: 'user' as const, name: 'alice' };

export function pod(name: string, ns = 'default', spec: Record<string, unknown> = { containers: [{ name: 'c', image: 'nginx' }] }): KObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec };
}

export function node(name: string): KObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: {} };
}

export function deployment(name: string, replicas = 1, ns = 'default'): KObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns }, spec: { replicas } };
}

/** "res|ns|name" → object: the state a sequence of events leaves (the log replayed by hand). */
export function replay(events: Iterable<Event>, upTo = Infinity): Map<string, KObject> {
  const state = new Map<string, KObject>();
  for (const e of events) {
    if (e.rev > upTo) break;
    const k = `${e.res}|${e.ns}|${e.name}`;
    if (e.type === 'DELETED') state.delete(k);
    else state.set(k, e.object);
  }
  return state;
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** The state a view shows, over the given resources, in the same shape as `replay`. */
export function viewState(view: { list: Store['list'] }, resources: string[]): Map<string, KObject> {
  const state = new Map<string, KObject>();
  for (const res of resources) {
    for (const o of view.list(res).items) state.set(`${res}|${o.metadata.namespace ?? ''}|${o.metadata.name}`, o);
  }
  return state;
}

/** Plain sorted entries, for t.same comparisons with a readable diff. */
export function entries(state: Map<string, KObject>): Array<[string, unknown]> {
  return [...state.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, JSON.parse(JSON.stringify(v))]);
}
