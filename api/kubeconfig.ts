// The kubeconfig `rewind serve` writes next to its data: one cluster, one user, one context, all
// named "rewind", pointing at the server (plain HTTP, or HTTPS verified against the CA given).
// `insecure-skip-tls-verify` is meaningless over plain HTTP for kubectl, but @kubernetes/client-node
// refuses an http:// server without it ("HTTP protocol is not allowed when skipTLSVerify is not set").
// `rewind kubeconfig --at` writes one the same way, carrying the cluster's trust and the user's
// credentials (kubeconfigOf).

import { stringify } from 'yaml';

export interface KubeconfigCluster {
  server: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
}

export interface KubeconfigUser {
  token?: string;
  'client-certificate-data'?: string;
  'client-key-data'?: string;
}

/** With `caPem` (an https server), kubectl verifies the server against that CA. */
export function kubeconfigYaml(server: string, caPem?: string): string {
  return kubeconfigOf(caPem ? { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } : { server, 'insecure-skip-tls-verify': true });
}

/** A kubeconfig of one cluster, user and context named "rewind". */
export function kubeconfigOf(cluster: KubeconfigCluster, user: KubeconfigUser = {}, namespace = 'default'): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'rewind', cluster }],
    users: [{ name: 'rewind', user }],
    contexts: [{ name: 'rewind', context: { cluster: 'rewind', user: 'rewind', namespace } }],
    'current-context': 'rewind',
    preferences: {},
  });
}
