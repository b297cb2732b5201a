// Service account tokens: JWTs shaped as Kubernetes issues them (`sub`
// system:serviceaccount:<ns>:<name>, the `kubernetes.io` claim naming the namespace and the
// account's name and uid), signed with HS256 under a key kept in the data dir. A token is valid
// while its signature holds and the account it names still exists with the same uid — deleting (or
// re-creating) the account revokes every token issued for it, as the apiserver's legacy and bound
// token validators check.

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ReadView } from '../../store/store.ts';
import type { UserInfo } from './user.ts';

export const ISSUER = 'https://kubernetes.default.svc.cluster.local';

interface Claims {
  iss: string;
  sub: string;
  iat: number;
  'kubernetes.io': { namespace: string; serviceaccount: { name: string; uid: string } };
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');
const HEADER = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

export const serviceAccountUser = (ns: string, name: string) => `system:serviceaccount:${ns}:${name}`;

/** The groups every service account is in (serviceaccount.MakeGroupNames). */
export const serviceAccountGroups = (ns: string) => ['system:serviceaccounts', `system:serviceaccounts:${ns}`];

export class ServiceAccountTokens {
  constructor(
    private readonly key: Buffer,
    private readonly view: ReadView,
  ) {}

  private sign(data: string): Buffer {
    return createHmac('sha256', this.key).update(data).digest();
  }

  /** A token for the account, issued at `nowMs`. */
  issue(ns: string, name: string, uid: string, nowMs: number): string {
    const claims: Claims = {
      iss: ISSUER,
      sub: serviceAccountUser(ns, name),
      iat: Math.floor(nowMs / 1000),
      'kubernetes.io': { namespace: ns, serviceaccount: { name, uid } },
    };
    const body = `${HEADER}.${b64url(JSON.stringify(claims))}`;
    return `${body}.${b64url(this.sign(body))}`;
  }

  /** The account's user when the token is ours and the account still exists with its uid; else undefined. */
  verify(token: string): UserInfo | undefined {
    const claims = this.claims(token);
    const sa = claims?.['kubernetes.io'];
    if (!sa || typeof sa.namespace !== 'string' || typeof sa.serviceaccount?.name !== 'string') return undefined;
    const account = this.view.get('v1/serviceaccounts', sa.namespace, sa.serviceaccount.name);
    if (!account || account.metadata.uid !== sa.serviceaccount.uid) return undefined;
    return { name: serviceAccountUser(sa.namespace, sa.serviceaccount.name), uid: sa.serviceaccount.uid, groups: serviceAccountGroups(sa.namespace) };
  }

  private claims(token: string): Claims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) return undefined;
    const given = Buffer.from(parts[2], 'base64url');
    const expected = this.sign(`${parts[0]}.${parts[1]}`);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Claims;
      return claims.iss === ISSUER ? claims : undefined;
    } catch {
      return undefined;
    }
  }
}
