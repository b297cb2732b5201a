// pod-template-hash: the name suffix a Deployment gives its ReplicaSets (k8s.io/kubernetes
// pkg/controller/controller_utils.go ComputeHash). FNV-32a over the template, then, when the
// Deployment has recorded hash collisions, over status.collisionCount as 4 little-endian bytes; the
// decimal form of the 32-bit sum is rendered through rand.SafeEncodeString, which maps each digit
// character to the alphabet "bcdfghjklmnpqrstvwxz2456789" (no vowels, no look-alikes).
//
// Kubernetes hashes a spew dump of the Go struct; we hash a canonical JSON serialization (keys
// sorted, undefined dropped) instead, so the value is ours but has the same properties: a pure
// function of the template, stable across restarts, and the same template always gives the same
// name — which is what makes `kubectl rollout undo` land on the old ReplicaSet.
//
// Worked example: a sum of 1594726520 is the string "1594726520"; '1' (code 49) → alphabet[49 % 27]
// = "5", '5' (53) → "9", '9' (57) → "f", … giving the suffix "59f8c6b964".

import { NAME_ALPHABET } from './random.ts';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a, 32 bits, over bytes, continuing from `h` (so several inputs hash as one stream). */
export function fnv32a(bytes: Uint8Array, h = FNV_OFFSET): number {
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, FNV_PRIME) >>> 0;
  }
  return h >>> 0;
}

/**
 * JSON with object keys sorted at every level and undefined and null members dropped: Kubernetes
 * decodes `null` into the field's zero value, so `creationTimestamp: null` (which kubectl sends back
 * in a template on `rollout undo`) and an absent field are the same template.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined && obj[k] !== null)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** rand.SafeEncodeString: each character's code point picks a letter of the safe alphabet. */
export function safeEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += NAME_ALPHABET[s.charCodeAt(i) % NAME_ALPHABET.length];
  return out;
}

/** The pod-template-hash of a pod template and a Deployment's collisionCount. */
export function podTemplateHash(template: unknown, collisionCount?: number): string {
  let h = fnv32a(new TextEncoder().encode(canonicalJson(template)));
  if (collisionCount !== undefined && collisionCount !== null) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(b, h);
  }
  return safeEncode(String(h));
}
