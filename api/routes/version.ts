// /version. kubectl's dispatcher (/usr/bin/kubectl) picks its bundled client by the minor version
// reported here, so Rewind reports 1.32 to be driven by kubectl 1.32 (kubectl-surface.md §0.1).

import type { FastifyInstance } from 'fastify';

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-rewind',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export function versionRoutes(app: FastifyInstance): void {
  app.get('/version', (_req, reply) => reply.send(SERVER_VERSION));
}
