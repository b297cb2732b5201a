// The kubeconfig `rewind serve` writes next to its data: one cluster, one user, one context, all
// named "rewind", pointing at the plain-HTTP loopback server (no credentials until issue 7).

import { stringify } from 'yaml';

export function kubeconfigYaml(server: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'rewind', cluster: { server } }],
    users: [{ name: 'rewind', user: {} }],
    contexts: [{ name: 'rewind', context: { cluster: 'rewind', user: 'rewind', namespace: 'default' } }],
    'current-context': 'rewind',
    preferences: {},
  });
}
