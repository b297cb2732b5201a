// Authentication and authorization with the real kubectl against `rewind serve --tls
// --token-auth-file` (kubectl sends credentials only over TLS, and verifies the server against the CA
// the generated kubeconfig carries):
// a token user bound to `view` reads but may not write (kubectl prints the apiserver's Forbidden
// line), no token is Unauthorized, `kubectl auth can-i` answers for oneself and with --as, and RBAC
// YAML applied with kubectl grants `edit` in one namespace only.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startRewind } from './harness.ts';

const tokens = mkdtempSync(join(tmpdir(), 'rewind-tokens-'));
t.teardown(() => rmSync(tokens, { recursive: true, force: true }));
const tokenFile = join(tokens, 'tokens.csv');
writeFileSync(tokenFile, ['root-token,root,u0,"system:masters"', 'alice-token,alice,u1', 'bob-token,bob,u2,"devs"'].join('\n') + '\n');

const rw = await startRewind(t, ['--tls', '--token-auth-file', tokenFile]);
const as = (token: string, ...args: string[]) => rw.kubectl('--token', token, ...args);

const RBAC_YAML = `apiVersion: v1
kind: Namespace
metadata:
  name: team
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: alice-view
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
- kind: User
  name: alice
  apiGroup: rbac.authorization.k8s.io
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: devs-edit
  namespace: team
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: edit
subjects:
- kind: Group
  name: devs
  apiGroup: rbac.authorization.k8s.io
`;

t.test('TLS: the kubeconfig carries the CA, kubectl verifies the server', async (t) => {
  t.match(rw.url, /^https:\/\//);
  const kubeconfig = readFileSync(rw.kubeconfig, 'utf8');
  t.match(kubeconfig, 'certificate-authority-data:');
  t.notMatch(kubeconfig, 'insecure-skip-tls-verify');
  const other = await rw.kubectl('--token', 'root-token', '--certificate-authority', '/etc/ssl/certs/ca-certificates.crt', 'get', 'ns');
  t.not(other.code, 0, 'another CA does not verify the server');
  t.match(other.stderr, /certificate/);
});

// (Without any credential kubectl prompts for a user name; test/auth/server-auth.test.ts covers that 401.)
t.test('a wrong token: Unauthorized', async (t) => {
  const wrong = await as('nope', 'get', 'pods');
  t.not(wrong.code, 0);
  t.match(wrong.stderr, /You must be logged in to the server/);
});

t.test('system:masters is cluster-admin; RBAC YAML applies', async (t) => {
  const r = await as('root-token', 'apply', '-f', rw.file('rbac.yaml', RBAC_YAML));
  t.equal(r.code, 0, r.stderr);
  t.equal((await as('root-token', 'create', 'deployment', 'web', '--image=nginx')).code, 0);
});

t.test('view: reads, may not write, Forbidden worded as Kubernetes', async (t) => {
  const get = await as('alice-token', 'get', 'deployments');
  t.equal(get.code, 0, get.stderr);
  t.match(get.stdout, /web/);
  const del = await as('alice-token', 'delete', 'deployment', 'web');
  t.not(del.code, 0);
  t.match(del.stderr, 'Error from server (Forbidden): deployments.apps "web" is forbidden: User "alice" cannot delete resource "deployments" in API group "apps" in the namespace "default"');
  const create = await as('alice-token', 'create', 'configmap', 'c1', '--from-literal=a=b');
  t.match(create.stderr, 'configmaps is forbidden: User "alice" cannot create resource "configmaps" in API group "" in the namespace "default"');
  const secrets = await as('alice-token', 'get', 'secrets');
  t.match(secrets.stderr, 'User "alice" cannot list resource "secrets" in API group "" in the namespace "default"');
});

t.test('kubectl auth can-i, for oneself and --as', async (t) => {
  const yes = await as('alice-token', 'auth', 'can-i', 'list', 'pods');
  t.equal(yes.stdout.trim(), 'yes');
  const no = await as('alice-token', 'auth', 'can-i', 'create', 'deployments');
  t.equal(no.stdout.trim(), 'no');
  t.equal(no.code, 1);
  t.equal((await as('root-token', 'auth', 'can-i', 'create', 'deployments', '--as', 'bob', '--as-group', 'devs', '-n', 'team')).stdout.trim(), 'yes');
  t.equal((await as('root-token', 'auth', 'can-i', 'create', 'deployments', '--as', 'bob', '-n', 'team')).stdout.trim(), 'no', 'without the group');
  const impersonate = await as('alice-token', 'get', 'pods', '--as', 'root');
  t.match(impersonate.stderr, 'users "root" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope');
});

t.test('edit in one namespace through a group RoleBinding', async (t) => {
  const inTeam = await as('bob-token', 'create', 'deployment', 'api', '--image=nginx', '-n', 'team');
  t.equal(inTeam.code, 0, inTeam.stderr);
  const elsewhere = await as('bob-token', 'create', 'deployment', 'api', '--image=nginx', '-n', 'default');
  t.match(elsewhere.stderr, 'deployments.apps is forbidden: User "bob" cannot create resource "deployments" in API group "apps" in the namespace "default"');
  const owner = await as('root-token', 'get', 'deployment', 'api', '-n', 'team', '-o', 'jsonpath={.metadata.name}');
  t.equal(owner.stdout, 'api');
});

const ROBOT_YAML = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: robot
  namespace: team
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: robot-view
  namespace: team
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
- kind: ServiceAccount
  name: robot
  namespace: team
`;

t.test('service account tokens: kubectl create token, RBAC for the account, revoked with it', async (t) => {
  t.equal((await as('root-token', 'apply', '-f', rw.file('robot.yaml', ROBOT_YAML))).code, 0);
  const issued = await as('root-token', 'create', 'token', 'robot', '-n', 'team');
  t.equal(issued.code, 0, issued.stderr);
  const token = issued.stdout.trim();
  t.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'a JWT');
  const inTeam = await as(token, 'get', 'deployments', '-n', 'team');
  t.equal(inTeam.code, 0, inTeam.stderr);
  t.match(inTeam.stdout, /api/);
  const elsewhere = await as(token, 'get', 'pods', '-n', 'default');
  t.match(elsewhere.stderr, 'User "system:serviceaccount:team:robot" cannot list resource "pods" in API group "" in the namespace "default"');
  t.equal((await as('root-token', 'delete', 'serviceaccount', 'robot', '-n', 'team')).code, 0);
  const revoked = await as(token, 'get', 'deployments', '-n', 'team');
  t.match(revoked.stderr, /You must be logged in to the server/, 'deleting the account revokes the token');
});
