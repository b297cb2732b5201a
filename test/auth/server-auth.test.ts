// The auth layer through the API server (inject): 401 without a token outside open mode, the token's
// user as the event's actor, SelfSubjectAccessReview answers, and secret values redacted from the
// history API for a user who may not read secrets (shown to one who may).

import t from 'tap';
import type { UserInfo } from '../../api/auth/user.ts';
import { served } from '../robustness/served.ts';

const tokens = new Map<string, UserInfo>([
  ['root', { name: 'root', groups: ['system:masters'] }],
  ['alice', { name: 'alice', groups: [] }],
]);
const bearer = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json', 'user-agent': 'kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07' });
const SECRET = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { password: 'aHVudGVyMg==' } };
const VIEW = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'alice-view' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'alice' }] };

t.test('tokens, actors, reviews and redaction', async (t) => {
  const f = await served(t, { auth: { tokens, anonymous: false } });
  const none = await f.app.inject({ method: 'GET', url: '/api/v1/namespaces' });
  t.equal(none.statusCode, 401);
  t.equal(none.json().reason, 'Unauthorized');
  t.equal((await f.app.inject({ method: 'GET', url: '/api/v1/namespaces', headers: bearer('wrong') })).statusCode, 401);

  const created = await f.app.inject({ method: 'POST', url: '/api/v1/namespaces/default/secrets', headers: bearer('root'), payload: JSON.stringify(SECRET) });
  t.equal(created.statusCode, 201);
  const event = await f.store.event(f.store.rev);
  t.match(event?.actor, { kind: 'user', name: 'root', groups: ['system:masters', 'system:authenticated'], userAgent: /^kubectl/ }, 'the token user is the actor');
  t.equal((await f.app.inject({ method: 'POST', url: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', headers: bearer('root'), payload: JSON.stringify(VIEW) })).statusCode, 201);

  const review = (token: string, verb: string, resource: string) =>
    f.app.inject({ method: 'POST', url: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', headers: bearer(token), payload: JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace: 'default', verb, resource } } }) });
  t.match((await review('alice', 'list', 'pods')).json(), { kind: 'SelfSubjectAccessReview', status: { allowed: true } });
  t.match((await review('alice', 'get', 'secrets')).json(), { status: { allowed: false } });
  t.match((await review('root', 'get', 'secrets')).json(), { status: { allowed: true } });

  const history = (token: string) => f.app.inject({ method: 'GET', url: '/apis/rewind.dev/v1/history?type=secret&name=s&namespace=default', headers: bearer(token) });
  const events = (token: string) => f.app.inject({ method: 'GET', url: '/apis/rewind.dev/v1/events?objects=1', headers: bearer(token) });
  for (const [what, ask] of [['history', history], ['event log', events]] as const) {
    const forAlice = await ask('alice');
    t.equal(forAlice.statusCode, 200, `${what}: a view user may read it`);
    t.notMatch(forAlice.body, 'aHVudGVyMg==', `${what}: no secret value for a user who may not get secrets`);
    t.match(forAlice.body, '<redacted>');
    t.match((await ask('root')).body, 'aHVudGVyMg==', `${what}: shown to a user who may get secrets`);
  }
  const revert = await f.app.inject({ method: 'POST', url: '/apis/rewind.dev/v1/revert', headers: bearer('alice'), payload: '{}' });
  t.equal(revert.statusCode, 403, 'view may not revert');
});

t.test('the followed event log is redacted line by line for a user who may not read secrets', async (t) => {
  const f = await served(t, { auth: { tokens, anonymous: false } });
  await f.app.inject({ method: 'POST', url: '/api/v1/namespaces/default/secrets', headers: bearer('root'), payload: JSON.stringify(SECRET) });
  await f.app.inject({ method: 'POST', url: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', headers: bearer('root'), payload: JSON.stringify(VIEW) });
  const base = await f.app.listen({ port: 0, host: '127.0.0.1' });
  /** The stream's lines up to and including the one about the secret (the log replays from rev 0). */
  const follow = async (token: string): Promise<string> => {
    const abort = new AbortController();
    const res = await fetch(`${base}/apis/rewind.dev/v1/events?objects=1&follow=1`, { headers: bearer(token), signal: abort.signal });
    const reader = res.body!.getReader();
    let text = '';
    while (!/"kind":"Secret"[^\n]*\n/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    abort.abort();
    return text;
  };
  const forAlice = await follow('alice');
  t.notMatch(forAlice, 'aHVudGVyMg==', 'no secret value in the stream for a view user');
  t.match(forAlice, '<redacted>');
  t.match(await follow('root'), 'aHVudGVyMg==', 'shown to a user who may get secrets');
});

t.test('revert needs the write on each object it reverts, not only create on rewind.dev/revert', async (t) => {
  const f = await served(t, { auth: { tokens: new Map([...tokens, ['bob', { name: 'bob', groups: [] }]]), anonymous: false } });
  const post = (token: string, url: string, body: unknown) => f.app.inject({ method: 'POST', url, headers: bearer(token), payload: JSON.stringify(body) });
  const put = (token: string, url: string, body: unknown) => f.app.inject({ method: 'PUT', url, headers: bearer(token), payload: JSON.stringify(body) });
  // bob may revert and read config maps, but not write them.
  const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reverter' }, rules: [{ apiGroups: ['rewind.dev'], resources: ['revert'], verbs: ['create'] }, { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }] };
  const binding = { ...VIEW, metadata: { name: 'bob-reverter' }, roleRef: { ...VIEW.roleRef, name: 'reverter' }, subjects: [{ kind: 'User', name: 'bob' }] };
  t.equal((await post('root', '/apis/rbac.authorization.k8s.io/v1/clusterroles', role)).statusCode, 201);
  t.equal((await post('root', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', binding)).statusCode, 201);
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' }, data: { mode: 'calm' } };
  t.equal((await post('root', '/api/v1/namespaces/default/configmaps', cm)).statusCode, 201);
  const to = String(f.store.rev);
  t.equal((await put('root', '/api/v1/namespaces/default/configmaps/settings', { ...cm, data: { mode: 'panic' } })).statusCode, 200);

  const head = f.store.rev;
  const refused = await post('bob', '/apis/rewind.dev/v1/revert', { to, type: 'configmap', name: 'settings', namespace: 'default' });
  t.equal(refused.statusCode, 403);
  t.match(refused.json().message, 'configmaps "settings" is forbidden: User "bob" cannot update resource "configmaps" in API group "" in the namespace "default"');
  t.equal(f.store.rev, head, 'a refused revert writes nothing');
  const done = await post('root', '/apis/rewind.dev/v1/revert', { to, type: 'configmap', name: 'settings', namespace: 'default' });
  t.equal(done.statusCode, 200);
  t.same(f.store.get('v1/configmaps', 'default', 'settings')?.data, { mode: 'calm' });
});
