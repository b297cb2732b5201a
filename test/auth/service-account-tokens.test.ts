// Service account tokens: issued as Kubernetes-shaped JWTs, verified to the account's user and groups,
// refused when tampered with or signed by another key, revoked when the account is deleted or
// re-created with another uid.

import t from 'tap';
import { VirtualClock } from '../../core/clock.ts';
import { openStore } from '../../store/index.ts';
import { ServiceAccountTokens } from '../../api/auth/service-account-tokens.ts';

const SYSTEM = { kind: 'system' as const, name: 'test' };
const sa = (name: string) => ({ op: 'create' as const, res: 'v1/serviceaccounts', object: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'default' } } });

t.test('issue, verify, tamper, revoke', async (t) => {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const store = await openStore({ clock });
  t.teardown(() => store.close());
  await store.commit([sa('robot')], { actor: SYSTEM });
  const uid = store.get('v1/serviceaccounts', 'default', 'robot')!.metadata.uid!;
  const tokens = new ServiceAccountTokens(Buffer.alloc(32, 1), store);
  const token = tokens.issue('default', 'robot', uid, clock.now());

  const [, payload] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  t.match(claims, { sub: 'system:serviceaccount:default:robot', 'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'robot', uid } } });

  t.same(tokens.verify(token), { name: 'system:serviceaccount:default:robot', uid, groups: ['system:serviceaccounts', 'system:serviceaccounts:default'] });
  t.equal(new ServiceAccountTokens(Buffer.alloc(32, 2), store).verify(token), undefined, 'another key does not verify it');
  const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'system:serviceaccount:default:admin' })).toString('base64url');
  t.equal(tokens.verify(token.replace(payload, forged)), undefined, 'changed claims break the signature');
  t.equal(tokens.verify('not.a.jwt'), undefined);
  t.equal(tokens.verify(''), undefined);

  await store.commit([{ op: 'delete', res: 'v1/serviceaccounts', ns: 'default', name: 'robot' }], { actor: SYSTEM });
  t.equal(tokens.verify(token), undefined, 'deleting the account revokes its tokens');
  await store.commit([sa('robot')], { actor: SYSTEM });
  t.equal(tokens.verify(token), undefined, 'a re-created account (new uid) does not accept the old token');
});
