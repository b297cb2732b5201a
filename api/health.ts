// /healthz, /livez and /readyz as kube-apiserver serves them (k8s.io/apiserver/pkg/server/healthz):
// plain "ok" when every check passes, `?verbose` lists each check as "[+]name ok" / "[-]name failed:
// reason withheld" followed by "<probe> check passed|failed", `?exclude=name` skips a check, and each
// check has its own path (/readyz/ping). A failure answers 500. Our checks: `ping` (the process
// answers), `log` (the event log is open; also served as `etcd`, the name kubectl users know) and,
// for readiness only, `shutdown` (fails once SIGTERM has started the drain, so load balancers stop
// sending traffic while in-flight requests finish).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pathNotFound } from '../core/errors.ts';

/** What the probes look at; bin/serve.ts flips the flags as it shuts down. */
export interface HealthState {
  shuttingDown: boolean;
  logClosed: boolean;
}

export const healthyState = (): HealthState => ({ shuttingDown: false, logClosed: false });

type Check = { name: string; ok: (s: HealthState) => boolean };

const PING: Check = { name: 'ping', ok: () => true };
const LOG: Check = { name: 'log', ok: (s) => !s.logClosed };
const SHUTDOWN: Check = { name: 'shutdown', ok: (s) => !s.shuttingDown };

const PROBES: Record<string, Check[]> = {
  healthz: [PING, LOG],
  livez: [PING, LOG],
  readyz: [PING, LOG, SHUTDOWN],
};

/** Other names a check answers to on its own path: `/livez/etcd` is the log check. */
const ALIASES: Record<string, string> = { etcd: 'log' };

function excluded(req: FastifyRequest): Set<string> {
  const raw = (req.query as Record<string, string | string[] | undefined>).exclude;
  return new Set(raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]);
}

function probe(probeName: string, checks: Check[], state: HealthState, req: FastifyRequest, reply: FastifyReply) {
  const skip = excluded(req);
  const results = checks.filter((c) => !skip.has(c.name)).map((c) => ({ name: c.name, ok: c.ok(state) }));
  const passed = results.every((r) => r.ok);
  reply.code(passed ? 200 : 500).type('text/plain; charset=utf-8').header('x-content-type-options', 'nosniff');
  const verbose = (req.query as Record<string, unknown>).verbose !== undefined;
  if (passed && !verbose) return reply.send('ok');
  const lines = results.map((r) => (r.ok ? `[+]${r.name} ok` : `[-]${r.name} failed: reason withheld`));
  return reply.send(`${lines.join('\n')}\n${probeName} check ${passed ? 'passed' : 'failed'}\n`);
}

function single(check: Check, state: HealthState, reply: FastifyReply) {
  if (check.ok(state)) return reply.type('text/plain; charset=utf-8').send('ok');
  return reply.code(500).type('text/plain; charset=utf-8').send(`internal server error: ${check.name} check failed\n`);
}

export function healthRoutes(app: FastifyInstance, state: HealthState): void {
  for (const [name, checks] of Object.entries(PROBES)) {
    app.get(`/${name}`, (req, reply) => probe(name, checks, state, req, reply));
    app.get(`/${name}/:check`, (req, reply) => {
      const asked = (req.params as { check: string }).check;
      const check = checks.find((c) => c.name === (ALIASES[asked] ?? asked));
      if (!check) throw pathNotFound();
      return single(check, state, reply);
    });
  }
}
