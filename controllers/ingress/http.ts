// An HTTP request arriving at the ingress controller's address: matched to a backend Service
// (rules.ts), then kube-proxy's choice of pod (container/proxy.ts) and that pod's answer
// (container/http.ts) — what `curl http://foo.example.com/` would print from a pod, or through
// `rewind curl`. Unmatched requests get ingress-nginx's 404 page.

import type { KObject } from '../../core/object.ts';
import type { ReadView } from '../../store/store.ts';
import { route } from '../container/proxy.ts';
import { serveHttp, type HttpRequest, type HttpResponse } from '../container/http.ts';
import { SERVICES, serviceSpec } from '../service-backends.ts';
import { INGRESS_ADDRESS, servedIngresses } from './index.ts';
import { matchIngress } from './rules.ts';

const NOT_FOUND_PAGE = '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

export interface IngressAnswer {
  response: HttpResponse;
  ingress?: KObject;
  rule?: string;
  service?: KObject;
  pod?: KObject;
}

/** Whether a connection to ip:port reaches the ingress controller (HTTP and HTTPS ports). */
export const isIngressAddress = (ip: string, port: number) => ip === INGRESS_ADDRESS && (port === 80 || port === 443);

/** The address a host name resolves to outside cluster DNS: the controller's, when an Ingress rule names the host. */
export function ingressHostAddress(view: ReadView, host: string): string | undefined {
  const named = servedIngresses(view).some((i) => ((i.spec as { rules?: { host?: string }[] }).rules ?? []).some((r) => r.host === host));
  return named ? INGRESS_ADDRESS : undefined;
}

function status(code: number, reason: string, body: string): HttpResponse {
  return { status: code, reason, headers: [['Content-Type', 'text/html'], ['Content-Length', String(Buffer.byteLength(body))]], body };
}

/** The answer to `req` at the controller; `counter` drives kube-proxy's round-robin as for any connection. */
export function serveIngress(view: ReadView, req: HttpRequest, counter: number): IngressAnswer {
  const host = req.host.replace(/:\d+$/, '');
  const match = matchIngress(servedIngresses(view), host, req.path);
  if (!match) return { response: status(404, 'Not Found', NOT_FOUND_PAGE) };
  const ns = match.ingress.metadata.namespace ?? '';
  const service = view.get(SERVICES, ns, match.backend.name);
  const base = { ingress: match.ingress, rule: match.rule };
  if (!service) return { ...base, response: status(503, 'Service Temporarily Unavailable', '503 Service Temporarily Unavailable\n') };
  const spec = serviceSpec(service);
  const port = spec.ports?.find((p) => p.port === match.backend.port.number || (!!match.backend.port.name && p.name === match.backend.port.name));
  const r = port && spec.clusterIP ? route(view, { ip: spec.clusterIP, port: port.port, clientIP: INGRESS_ADDRESS, counter }) : undefined;
  if (!r?.ok || !r.pod) return { ...base, service, response: status(503, 'Service Temporarily Unavailable', '503 Service Temporarily Unavailable\n') };
  return { ...base, service, pod: r.pod, response: serveHttp(r.pod, r.port, { ...req, clientIP: INGRESS_ADDRESS }) };
}
