// How the rewind CLI finds and reaches its server (bin/connection.ts, bin/client.ts), by kubectl's
// rules: kubeconfig files merged from KUBECONFIG (first wins per name, missing files skipped),
// --context, --server, paths relative to their kubeconfig, token and tokenFile, the cluster's CA,
// insecure-skip-tls-verify, and client certificates — the last checked against an HTTPS server that
// demands one and answers with the name on it.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import t from 'tap';
import { stringify } from 'yaml';
import { ClientError, RewindClient } from '../../bin/client.ts';
import { resolveConnection } from '../../bin/connection.ts';

const dir = mkdtempSync(join(tmpdir(), 'rewind-connection-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

/** Write a file under the test's directory; returns its path. */
function file(path: string, content: string): string {
  const p = join(dir, path);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, content);
  return p;
}

const kubeconfig = (path: string, config: object) => file(path, stringify({ apiVersion: 'v1', kind: 'Config', ...config }));
const b64 = (s: string) => Buffer.from(s).toString('base64');

t.test('KUBECONFIG files merge as kubectl merges them: the first to name an entry or a current-context wins', async (t) => {
  file('a/ops.token', 'token-from-file\n');
  const a = kubeconfig('a/config', {
    'current-context': 'ops',
    contexts: [{ name: 'ops', context: { cluster: 'prod', user: 'ops', namespace: 'team' } }],
    users: [{ name: 'ops', user: { tokenFile: 'ops.token' } }],
  });
  file('b/ca.crt', 'CA OF B');
  const b = kubeconfig('b/config', {
    'current-context': 'other',
    contexts: [
      { name: 'ops', context: { cluster: 'elsewhere', user: 'nobody' } },
      { name: 'other', context: { cluster: 'prod', user: 'admin' } },
    ],
    clusters: [{ name: 'prod', cluster: { server: 'https://prod.example:6443/', 'certificate-authority': 'ca.crt', 'tls-server-name': 'kube-apiserver' } }],
    users: [
      { name: 'ops', user: { token: 'shadowed' } },
      { name: 'admin', user: { token: 'admin-token' } },
    ],
  });
  const env = { KUBECONFIG: [a, join(dir, 'missing'), b].join(':') };
  const c = resolveConnection({}, env);
  t.equal(c.server, 'https://prod.example:6443', "a's context, b's cluster");
  t.equal(c.token, 'token-from-file', "a's user, its tokenFile read beside a's file");
  t.equal(c.ca?.toString(), 'CA OF B', "b's CA file, beside b's file");
  t.same([c.namespace, c.serverName, c.insecure], ['team', 'kube-apiserver', false]);

  const other = resolveConnection({ context: 'other' }, env);
  t.equal(other.token, 'admin-token', '--context picks another');
  const flags = resolveConnection({ context: 'other', server: 'https://127.0.0.1:1', token: 'flag-token' }, env);
  t.same([flags.server, flags.token, flags.ca?.toString()], ['https://127.0.0.1:1', 'flag-token', 'CA OF B'], 'flags override the server and token, the CA stays');
  t.equal(resolveConnection({ kubeconfig: b }, env).token, 'admin-token', '--kubeconfig: that file alone (its own current-context)');
});

t.test('what kubectl refuses is refused with a message', async (t) => {
  const ca = b64('CA');
  const both = kubeconfig('both', { 'current-context': 'x', contexts: [{ name: 'x', context: { cluster: 'x' } }], clusters: [{ name: 'x', cluster: { server: 'https://x', 'certificate-authority-data': ca, 'insecure-skip-tls-verify': true } }] });
  t.throws(() => resolveConnection({ kubeconfig: both }), new ClientError('specifying a root certificates file with the insecure flag is not allowed'));
  const flagged = resolveConnection({ kubeconfig: kubeconfig('ca-only', { 'current-context': 'x', contexts: [{ name: 'x', context: { cluster: 'x' } }], clusters: [{ name: 'x', cluster: { server: 'https://x', 'certificate-authority-data': ca } }] }), insecureSkipTlsVerify: true });
  t.same([flagged.insecure, flagged.ca], [true, undefined], "--insecure-skip-tls-verify drops the kubeconfig's CA");
  const insecure = kubeconfig('insecure', { 'current-context': 'x', contexts: [{ name: 'x', context: { cluster: 'x' } }], clusters: [{ name: 'x', cluster: { server: 'https://x', 'insecure-skip-tls-verify': true } }] });
  const trusted = resolveConnection({ kubeconfig: insecure, certificateAuthority: file('flag-ca.crt', 'FLAG CA') });
  t.same([trusted.insecure, trusted.ca?.toString()], [false, 'FLAG CA'], "--certificate-authority drops the kubeconfig's insecure-skip-tls-verify");
  t.throws(() => resolveConnection({ kubeconfig: both, context: 'nope' }), { message: /^context "nope" not found in / });
  t.throws(() => resolveConnection({ kubeconfig: join(dir, 'absent') }), { message: /^cannot read kubeconfig .*absent: ENOENT/ });
  t.throws(() => resolveConnection({}, { KUBECONFIG: join(dir, 'absent') }), { message: /^no current-context in .*absent: pass --context or --server/ }, 'a missing KUBECONFIG file is skipped');
  t.equal(resolveConnection({ server: 'http://127.0.0.1:6443/' }, { KUBECONFIG: join(dir, 'absent') }).server, 'http://127.0.0.1:6443', '--server alone needs no kubeconfig');
  const exec = kubeconfig('exec', { 'current-context': 'x', contexts: [{ name: 'x', context: { cluster: 'x', user: 'sso' } }], clusters: [{ name: 'x', cluster: { server: 'https://x' } }], users: [{ name: 'sso', user: { exec: { command: 'aws' } } }] });
  t.throws(() => resolveConnection({ kubeconfig: exec }), { message: /user "sso" authenticates through an exec plugin, which rewind does not run/ });
  t.equal(resolveConnection({ kubeconfig: exec, token: 't' }).token, 't', 'a token given instead is used');
});

/** A CA, a server certificate for 127.0.0.1 and a client certificate for "alice", all signed by it. */
async function pki() {
  const ca = await generate([{ name: 'commonName', value: 'test-ca' }], { keySize: 2048, extensions: [{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, critical: true }] });
  type Extensions = NonNullable<NonNullable<Parameters<typeof generate>[1]>['extensions']>;
  const signed = (cn: string, extensions: Extensions) => generate([{ name: 'commonName', value: cn }], { keySize: 2048, ca: { key: ca.private, cert: ca.cert }, extensions });
  const server = await signed('server', [{ name: 'extKeyUsage', serverAuth: true }, { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }]);
  const client = await signed('alice', [{ name: 'extKeyUsage', clientAuth: true }]);
  return { ca: ca.cert, server, client };
}

/** An HTTPS server that requires a client certificate signed by the CA and answers with its common name. */
async function mutualTlsServer(t: { teardown(fn: () => unknown): void }, p: Awaited<ReturnType<typeof pki>>): Promise<string> {
  const server: Server = createServer({ cert: p.server.cert, key: p.server.private, ca: p.ca, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ user: peer.subject?.CN, authorization: req.headers.authorization ?? null }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => server.close());
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

t.test('client certificates, from files or inline data, and the CA verifying the server', async (t) => {
  const p = await pki();
  const url = await mutualTlsServer(t, p);
  file('pki/ca.crt', p.ca);
  file('pki/alice.crt', p.client.cert);
  file('pki/alice.key', p.client.private);
  const context = { 'current-context': 'x', contexts: [{ name: 'x', context: { cluster: 'x', user: 'alice' } }] };
  const fromFiles = kubeconfig('pki/files', { ...context, clusters: [{ name: 'x', cluster: { server: url, 'certificate-authority': 'ca.crt' } }], users: [{ name: 'alice', user: { 'client-certificate': 'alice.crt', 'client-key': 'alice.key', token: 'also-a-token' } }] });
  t.same(await RewindClient.fromFlags({ kubeconfig: fromFiles }).get('/'), { user: 'alice', authorization: 'Bearer also-a-token' });

  const inline = kubeconfig('inline', { ...context, clusters: [{ name: 'x', cluster: { server: url, 'certificate-authority-data': b64(p.ca) } }], users: [{ name: 'alice', user: { 'client-certificate-data': b64(p.client.cert), 'client-key-data': b64(p.client.private) } }] });
  t.same(await RewindClient.fromFlags({ kubeconfig: inline }).get('/'), { user: 'alice', authorization: null });

  const noCa = kubeconfig('no-ca', { ...context, clusters: [{ name: 'x', cluster: { server: url } }], users: [{ name: 'alice', user: { 'client-certificate-data': b64(p.client.cert), 'client-key-data': b64(p.client.private) } }] });
  await t.rejects(RewindClient.fromFlags({ kubeconfig: noCa }).get('/'), { message: /^cannot reach the server at https:\/\/127\.0\.0\.1:\d+: .*certificate.* \(give the CA that signed it: certificate-authority\(-data\) in the kubeconfig, or --certificate-authority\)$/ });
  t.same(await RewindClient.fromFlags({ kubeconfig: noCa, insecureSkipTlsVerify: true }).get('/'), { user: 'alice', authorization: null }, 'unless told not to verify');
  const wrongCa = (await pki()).ca;
  await t.rejects(RewindClient.fromFlags({ kubeconfig: inline, certificateAuthority: file('pki/other-ca.crt', wrongCa) }).get('/'), { message: /\(it is not signed by the kubeconfig's certificate-authority\)$/ });
  const noCert = kubeconfig('no-cert', { ...context, clusters: [{ name: 'x', cluster: { server: url, 'certificate-authority-data': b64(p.ca) } }] });
  await t.rejects(RewindClient.fromFlags({ kubeconfig: noCert }).get('/'), { message: /^cannot reach the server at .*certificate required/ }, 'the server demands a certificate');
  t.same(await RewindClient.fromFlags({ kubeconfig: noCert, clientCertificate: join(dir, 'pki/alice.crt'), clientKey: join(dir, 'pki/alice.key') }).get('/'), { user: 'alice', authorization: null }, '--client-certificate and --client-key');
});
