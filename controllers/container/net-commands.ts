// The network commands of the simulated shell: `nslookup` and `dig` over cluster DNS (dns.ts), and
// `curl` and `wget` through DNS, then kube-proxy (proxy.ts), then the pod that answers (http.ts).
// Output and error texts are those of busybox nslookup/wget, curl 8 and dig 9.18.
//
// Worked example (seed 000), from a pod in `dev`:
//   curl ent:8080                            → ent.dev.svc.cluster.local → a pod of ent in dev
//   curl ent.prod.svc.cluster.local:8080     → a pod of ent in prod
//   curl nosuch:8080                         → curl: (6) Could not resolve host: nosuch (exit 6)

import { ingressHostAddress, isIngressAddress, serveIngress } from '../ingress/http.ts';
import { lookupFqdn, resolve, resolveHost, type DnsRecord, type RecordType } from './dns.ts';
import { serveHttp, type HttpResponse } from './http.ts';
import { route } from './proxy.ts';
import type { Result, Sandbox } from './sandbox.ts';

const ok = (stdout: string, stderr = ''): Result => ({ stdout, stderr, code: 0 });
const fail = (code: number, stderr: string, stdout = ''): Result => ({ stdout, stderr, code });

function serverLines(box: Sandbox): string {
  const ns = box.resolv.nameservers[0] ?? '';
  return `Server:\t\t${ns}\nAddress:\t${ns}:53\n\n`;
}

function recordLine(r: DnsRecord): string {
  if (r.type === 'A') return `Name:\t${r.name}\nAddress: ${r.ip}\n`;
  if (r.type === 'CNAME') return `${r.name}\tcanonical name = ${r.target}\n`;
  return `${r.name}\tservice = ${r.priority} ${r.weight} ${r.port} ${r.target}\n`;
}

/** busybox nslookup [-type=A|SRV|CNAME] NAME [SERVER]. */
export function nslookup(args: string[], box: Sandbox): Result {
  const typeArg = args.find((a) => /^-(type|q|query)=/i.test(a));
  const type = (typeArg?.split('=')[1]?.toUpperCase() ?? 'A') as RecordType;
  const name = args.find((a) => !a.startsWith('-'));
  if (!name) return fail(1, 'BusyBox v1.36.1 multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n');
  const answer = resolve(name, box.resolv, box.view, type);
  if (!answer || answer.records.length === 0) return fail(1, '', `${serverLines(box)}** server can't find ${name}: NXDOMAIN\n\n`);
  return ok(`${serverLines(box)}${answer.records.map(recordLine).join('')}\n`);
}

/** dig [+short] [+search] [-t TYPE | TYPE] NAME: like dig, the search list is used only with +search. */
export function dig(args: string[], box: Sandbox): Result {
  const short = args.includes('+short');
  const search = args.includes('+search');
  const rest = args.filter((a) => !a.startsWith('+') && !a.startsWith('@'));
  const tIndex = rest.indexOf('-t');
  let type: RecordType = 'A';
  if (tIndex >= 0) type = (rest.splice(tIndex, 2)[1] ?? 'A').toUpperCase() as RecordType;
  const typed = rest.find((a) => ['A', 'SRV', 'CNAME'].includes(a.toUpperCase()));
  if (typed) {
    type = typed.toUpperCase() as RecordType;
    rest.splice(rest.indexOf(typed), 1);
  }
  const name = rest[0] ?? '.';
  const found = search ? resolve(name, box.resolv, box.view, type)?.records : lookupFqdn(name, box.view)?.filter((r) => r.type === type || r.type === 'CNAME');
  const records = found ?? [];
  const value = (r: DnsRecord) => (r.type === 'A' ? r.ip : r.type === 'CNAME' ? `${r.target}.` : `${r.priority} ${r.weight} ${r.port} ${r.target}.`);
  if (short) return ok(records.map((r) => `${value(r)}\n`).join(''));
  const status = found ? 'NOERROR' : 'NXDOMAIN';
  const lines = [`; <<>> DiG 9.18.24 (simulated by Rewind) <<>> ${args.join(' ')}`, `;; ->>HEADER<<- opcode: QUERY, status: ${status}`, '', ';; ANSWER SECTION:'];
  for (const r of records) lines.push(`${r.name}.\t30\tIN\t${r.type}\t${value(r)}`);
  lines.push('', `;; SERVER: ${box.resolv.nameservers[0]}#53(${box.resolv.nameservers[0]}) (UDP)`, '');
  return ok(lines.join('\n'));
}

interface Url {
  scheme: string;
  host: string;
  port: number;
  path: string;
}

function parseUrl(raw: string): Url | undefined {
  const m = /^(?:([a-z]+):\/\/)?([^/:?#]+)(?::(\d+))?([^#]*)/i.exec(raw);
  if (!m) return undefined;
  const scheme = (m[1] ?? 'http').toLowerCase();
  return { scheme, host: m[2], port: m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80, path: m[4] || '/' };
}

type Fetched = { ok: true; response: HttpResponse; ip: string } | { ok: false; error: 'resolve' | 'refused' | 'timeout'; ip?: string };

/** DNS, then kube-proxy, then the pod: what a TCP connection plus one HTTP request would get. */
function fetchUrl(url: Url, box: Sandbox, method: string, userAgent: string, hostHeader?: string): Fetched {
  // A name only an Ingress rule knows resolves to the ingress controller, as a DNS record pointing at it would.
  const ip = resolveHost(url.host, box.resolv, box.view) ?? ingressHostAddress(box.view, url.host);
  if (!ip) return { ok: false, error: 'resolve' };
  const counter = box.nextConnection();
  const request = { method, host: hostHeader ?? (url.port === 80 ? url.host : `${url.host}:${url.port}`), path: url.path, clientIP: box.podIP, clientPort: 40000 + (counter % 20000), userAgent };
  if (isIngressAddress(ip, url.port)) return { ok: true, ip, response: serveIngress(box.view, request, counter).response };
  const r = route(box.view, { ip, port: url.port, clientIP: box.podIP, counter });
  if (!r.ok) return { ok: false, error: r.error === 'refused' ? 'refused' : 'timeout', ip };
  if (!r.pod) return { ok: false, error: 'timeout', ip };
  return { ok: true, ip, response: serveHttp(r.pod, r.port, request) };
}

interface CurlOptions {
  silent: boolean;
  showError: boolean;
  include: boolean;
  head: boolean;
  output?: string;
  writeOut?: string;
  method: string;
  url?: string;
  /** -H 'Host: x': the name an ingress routes by. */
  hostHeader?: string;
}

const CURL_VALUE_FLAGS = new Set(['-o', '--output', '-w', '--write-out', '-X', '--request', '-H', '--header', '-m', '--max-time', '--connect-timeout', '-d', '--data', '-A', '--user-agent', '-u']);

function curlOptions(args: string[]): CurlOptions {
  const o: CurlOptions = { silent: false, showError: false, include: false, head: false, method: 'GET' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (CURL_VALUE_FLAGS.has(a)) {
      const v = args[++i] ?? '';
      if (a === '-o' || a === '--output') o.output = v;
      if (a === '-w' || a === '--write-out') o.writeOut = v;
      if (a === '-X' || a === '--request') o.method = v;
      if (a === '-H' || a === '--header') o.hostHeader = /^host:\s*(.+)$/i.exec(v)?.[1].trim() ?? o.hostHeader;
    } else if (/^-[a-zA-Z]+$/.test(a)) {
      if (a.includes('s')) o.silent = true;
      if (a.includes('S')) o.showError = true;
      if (a.includes('i')) o.include = true;
      if (a.includes('I')) o.head = true;
    } else if (a === '--silent') o.silent = true;
    else if (a === '--show-error') o.showError = true;
    else if (a === '--include') o.include = true;
    else if (a === '--head') o.head = true;
    else if (!a.startsWith('-')) o.url = a;
  }
  if (o.head) o.method = 'HEAD';
  return o;
}

function curlError(url: Url, f: Extract<Fetched, { ok: false }>): [number, string] {
  if (f.error === 'resolve') return [6, `curl: (6) Could not resolve host: ${url.host}`];
  if (f.error === 'refused') return [7, `curl: (7) Failed to connect to ${url.host} port ${url.port} after 0 ms: Couldn't connect to server`];
  return [28, `curl: (28) Failed to connect to ${url.host} port ${url.port} after 10000 ms: Timeout was reached`];
}

function progressMeter(bytes: number): string {
  const n = String(bytes).padStart(5);
  return `  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n100 ${n}  100 ${n}    0     0   ${n}      0 --:--:-- --:--:-- --:--:-- ${n}\n`;
}

/** curl [-sSiI] [-o FILE] [-w FORMAT] [-X METHOD] URL (HTTP only; https is answered like http). */
export function curl(args: string[], box: Sandbox): Result {
  const o = curlOptions(args);
  const url = o.url ? parseUrl(o.url) : undefined;
  if (!url) return fail(2, "curl: try 'curl --help' or 'curl --manual' for more information\n");
  const f = fetchUrl(url, box, o.method, 'curl/8.5.0', o.hostHeader);
  const writeOut = (code: number) => (o.writeOut ?? '').replace(/%\{http_code\}/g, String(code).padStart(3, '0')).replace(/\\n/g, '\n');
  if (!f.ok) {
    const [code, message] = curlError(url, f);
    return fail(code, !o.silent || o.showError ? `${message}\n` : '', writeOut(0));
  }
  const r = f.response;
  const head = `HTTP/1.1 ${r.status} ${r.reason}\r\n${r.headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  let body = o.head ? head : (o.include ? head : '') + r.body;
  if (o.output && o.output !== '-') {
    if (o.output !== '/dev/null') box.fs.files.set(o.output, { content: body, mode: 0o644 });
    body = '';
  }
  return ok(body + writeOut(r.status), o.silent ? '' : progressMeter(Buffer.byteLength(r.body)));
}

/** busybox wget [-q] [-O FILE|-] [-T SEC] [--spider] URL. */
export function wget(args: string[], box: Sandbox): Result {
  let quiet = false;
  let output: string | undefined;
  let spider = false;
  let raw: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-O' || a === '-T') {
      if (a === '-O') output = args[i + 1];
      i++;
    } else if (a === '--spider') spider = true;
    else if (/^-[a-zA-Z]/.test(a)) {
      // Combined flags, the output file last: -q, -qO-, -qO FILE, -O-.
      const [, flags, inline] = /^-([a-zA-NP-Z]*)(?:O(.*))?$/.exec(a) ?? ['', a.slice(1), undefined];
      if (flags.includes('q')) quiet = true;
      if (inline !== undefined) output = inline || args[++i];
    } else raw = a;
  }
  const url = raw ? parseUrl(raw) : undefined;
  if (!url) return fail(1, 'BusyBox v1.36.1 multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-T SEC] URL...\n');
  const f = fetchUrl(url, box, 'GET', 'Wget');
  const where = `${url.host}:${url.port}`;
  const connecting = quiet ? '' : `Connecting to ${where} (${f.ip ?? url.host}:${url.port})\n`;
  if (!f.ok) {
    if (f.error === 'resolve') return fail(1, `wget: bad address '${where}'\n`);
    if (f.error === 'refused') return fail(1, `${connecting}wget: can't connect to remote host (${f.ip}): Connection refused\n`);
    return fail(1, `${connecting}wget: download timed out\n`);
  }
  if (spider) return ok('', quiet ? '' : `${connecting}remote file exists\n`);
  const toStdout = output === '-';
  const file = output ?? 'index.html';
  if (!toStdout) box.fs.files.set(file.startsWith('/') ? file : `/${file}`, { content: f.response.body, mode: 0o644 });
  const progress = quiet ? '' : `${connecting}${toStdout ? 'writing to stdout' : `saving to '${file}'`}\n${toStdout ? '-' : file.padEnd(20)}100% |********************************| ${f.response.body.length}  0:00:00 ETA\n${toStdout ? 'written to stdout' : `'${file}' saved`}\n`;
  return ok(toStdout ? f.response.body : '', progress);
}
