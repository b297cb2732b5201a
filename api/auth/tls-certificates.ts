// `rewind serve --tls`: a self-signed CA and a serving certificate signed by it, kept in the data dir
// (ca.crt, ca.key, apiserver.crt, apiserver.key — the names kubeadm uses under /etc/kubernetes/pki)
// and reused on restart, so a kubeconfig carrying the CA keeps verifying the server. Node has no
// X.509 generator; the `selfsigned` package writes the certificates.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface ServingCertificates {
  /** PEM of the CA that signed `cert` (what a kubeconfig's certificate-authority-data carries). */
  ca: string;
  cert: string;
  key: string;
}

const FILES = { ca: 'ca.crt', caKey: 'ca.key', cert: 'apiserver.crt', key: 'apiserver.key' };

/** Subject alternative names: the host served on, plus the loopback names kubectl may use. */
function altNames(host: string) {
  const names = new Set(['localhost', '127.0.0.1', '::1', host]);
  return [...names].map((n) => (isIP(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n }));
}

async function create(host: string): Promise<ServingCertificates & { caKey: string }> {
  const ca = await generate([{ name: 'commonName', value: 'rewind-ca' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const serving = await generate([{ name: 'commonName', value: 'kube-apiserver' }], {
    keySize: 2048,
    algorithm: 'sha256',
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: altNames(host) },
    ],
  });
  return { ca: ca.cert, caKey: ca.private, cert: serving.cert, key: serving.private };
}

/** The certificates under `dir`, generated on first use. */
export async function servingCertificates(dir: string, host: string): Promise<ServingCertificates> {
  const path = (f: string) => join(dir, f);
  if (Object.values(FILES).every((f) => existsSync(path(f)))) {
    return { ca: readFileSync(path(FILES.ca), 'utf8'), cert: readFileSync(path(FILES.cert), 'utf8'), key: readFileSync(path(FILES.key), 'utf8') };
  }
  mkdirSync(dir, { recursive: true });
  const made = await create(host);
  writeFileSync(path(FILES.ca), made.ca);
  writeFileSync(path(FILES.caKey), made.caKey, { mode: 0o600 });
  writeFileSync(path(FILES.cert), made.cert);
  writeFileSync(path(FILES.key), made.key, { mode: 0o600 });
  return { ca: made.ca, cert: made.cert, key: made.key };
}
