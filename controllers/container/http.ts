// What a simulated pod answers to an HTTP request, by the image it runs — always naming the pod, so
// a user can see which endpoint kube-proxy picked:
//   traefik/whoami, containous/whoami   the whoami echo (Hostname, IP, RemoteAddr, request line, headers)
//   luksa/kubia (seed 001)              You've hit <pod>
//   google-samples/hello-app            Hello, world! / Version / Hostname
//   nginx                               the nginx welcome page, with a comment naming the pod
//   httpd                               It works!
//   anything else                       Hostname: <pod> and IP: <pod IP>, as whoami prints them
// Every request gets 200 OK; the path is echoed by whoami only.

import type { KObject } from '../../core/object.ts';
import { containersOf } from './pod.ts';

export interface HttpRequest {
  method: string;
  host: string;
  path: string;
  clientIP: string;
  /** The client's source port (whoami prints RemoteAddr). */
  clientPort: number;
  userAgent: string;
}

export interface HttpResponse {
  status: number;
  reason: string;
  headers: [string, string][];
  body: string;
}

const NGINX_PAGE = (pod: string) => `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>
<!-- served by pod ${pod} (simulated by Rewind) -->
</body>
</html>
`;

/** The image of the container serving `port` (declared container port), else of the first container. */
function imageFor(pod: KObject, port: number): string {
  const containers = containersOf(pod);
  const serving = containers.find((c) => (c.ports ?? []).some((p) => p.containerPort === port)) ?? containers[0];
  return (serving?.image ?? '').toLowerCase();
}

function bodyFor(image: string, pod: KObject, req: HttpRequest): string {
  const name = pod.metadata.name ?? '';
  const ip = (pod.status as { podIP?: string } | undefined)?.podIP ?? '';
  if (image.includes('whoami')) {
    return [`Hostname: ${name}`, 'IP: 127.0.0.1', `IP: ${ip}`, `RemoteAddr: ${req.clientIP}:${req.clientPort}`, `${req.method} ${req.path} HTTP/1.1`, `Host: ${req.host}`, `User-Agent: ${req.userAgent}`, 'Accept: */*', '', ''].join('\n');
  }
  if (image.includes('kubia')) return `You've hit ${name}\n`;
  if (image.includes('hello-app')) return `Hello, world!\nVersion: 1.0.0\nHostname: ${name}\n`;
  if (/(^|\/)nginx/.test(image)) return NGINX_PAGE(name);
  if (/(^|\/)httpd/.test(image)) return `<html><body><h1>It works!</h1></body></html>\n<!-- served by pod ${name} (simulated by Rewind) -->\n`;
  return `Hostname: ${name}\nIP: ${ip}\n`;
}

export function serveHttp(pod: KObject, port: number, req: HttpRequest): HttpResponse {
  const image = imageFor(pod, port);
  const body = bodyFor(image, pod, req);
  const type = body.startsWith('<') ? 'text/html' : 'text/plain; charset=utf-8';
  return { status: 200, reason: 'OK', headers: [['Content-Type', type], ['Content-Length', String(Buffer.byteLength(body))]], body };
}
