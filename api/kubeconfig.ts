// The kubeconfig `rewind serve` writes next to its data: one cluster, one user, one context, all
// named "rewind", pointing at the plain-HTTP loopback server (no credentials until issue 7).
// `insecure-skip-tls-verify` is meaningless over plain HTTP for kubectl, but @kubernetes/client-node
// refuses an http:// server without it ("HTTP protocol is not allowed when skipTLSVerify is not set").

import { stringify } from 'yaml';

/** With `caPem` (an https server), kubectl verifies the server against that CA. */
export function kubeconfigYaml(server: string, caPem?: string): string {
  const cluster = caPem ? { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } : { server, 'insecure-skip-tls-verify': true };
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'rewind', cluster }],
    users: [{ name: 'rewind', user: {} }],
    contexts: [{ name: 'rewind', context: { cluster: 'rewind', user: 'rewind', namespace: 'default' } }],
    'current-context': 'rewind',
    preferences: {},
  });
}
