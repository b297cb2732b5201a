// GET /apis/rewind.dev/v1/curl?url=http://foo.example.com/path[&host=Host] — an HTTP request from
// outside the cluster, as it would arrive at the ingress controller (the address every served
// Ingress reports): which Ingress rule, Service and pod answer, and the answer itself. `rewind curl`
// prints it as curl would. A URL naming the controller's address directly takes its Host from
// `host` (curl -H 'Host: …'), as a request to a load balancer does.

import type { FastifyInstance } from 'fastify';
import { badRequest } from '../../core/errors.ts';
import { serveIngress } from '../../controllers/ingress/http.ts';
import type { ApiContext } from '../context.ts';
import { flatQuery } from './query.ts';
import { REWIND_PREFIX } from './rewind.ts';

function parseUrl(raw: string | undefined): URL {
  if (!raw) throw badRequest('url: Required value: the URL to request, e.g. http://foo.example.com/');
  try {
    const url = new URL(/^[a-z]+:\/\//i.test(raw) ? raw : `http://${raw}`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    return url;
  } catch {
    throw badRequest(`url: Invalid value: "${raw}": must be an http or https URL`);
  }
}

export function curlRoutes(app: FastifyInstance, ctx: ApiContext): void {
  let connections = 0;
  app.get(`${REWIND_PREFIX}/curl`, async (req) => {
    const q = flatQuery(req.query);
    const url = parseUrl(q.url);
    const host = q.host || url.host;
    const answer = serveIngress(ctx.store, { method: 'GET', host, path: `${url.pathname}${url.search}`, clientIP: '172.18.0.1', clientPort: 50000 + (connections % 10000), userAgent: 'curl/8.5.0' }, connections++);
    const name = (o?: { metadata: { namespace?: string; name?: string } }) => (o ? `${o.metadata.namespace}/${o.metadata.name}` : undefined);
    return {
      kind: 'CurlResult',
      apiVersion: 'rewind.dev/v1',
      ingress: name(answer.ingress),
      rule: answer.rule,
      service: name(answer.service),
      pod: name(answer.pod),
      status: answer.response.status,
      reason: answer.response.reason,
      headers: answer.response.headers,
      body: answer.response.body,
    };
  });
}
