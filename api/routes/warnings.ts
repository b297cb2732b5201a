// Warning response headers: `Warning: 299 - "text"`, one value per warning, which kubectl prints on
// stderr as "Warning: text" (and turns into a failure with --warnings-as-errors). Field validation
// and the pod warnings of a write both add to the same header.

import type { FastifyReply } from 'fastify';

export function addWarnings(reply: FastifyReply, messages: string[]): void {
  if (messages.length === 0) return;
  const existing = reply.getHeader('Warning');
  const before = existing === undefined ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)];
  reply.header('Warning', [...before, ...messages.map((msg) => `299 - ${JSON.stringify(msg)}`)]);
}
