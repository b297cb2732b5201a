// Deterministic randomness: the only place besides core/clock.ts allowed to make "random" values
// (see DESIGN.md, "Time and determinism"). Everything here is a pure function of its inputs, so the
// same inputs and seed give the same log byte for byte — the basis of replay tests and what-ifs.
//
// Two tools:
// - derived values (`uidFor`, `nameSuffix`, `derive`): a SHA-256 of (seed, rev, key, purpose). They
//   need no state, so a value never depends on how many other values were drawn before it.
// - `seededRandom(seed)`: a small, fast PRNG (sfc32) for code that needs a stream of numbers
//   (property tests, simulated latencies, IP allocation).

import { hash } from 'node:crypto';

/** Kubernetes' alphabet for generated name suffixes: no vowels (no words), no 0/1/3 (look-alikes). */
export const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** 32 bytes derived from the parts; `purpose` keeps different uses of the same inputs independent. */
export function derive(purpose: string, seed: number | string, rev: number, key: string): Buffer {
  // One-shot crypto.hash: the same digest as createHash().update().digest(), a third cheaper (it
  // runs for every create).
  return hash('sha256', hashInput(purpose, seed, rev, key), 'buffer');
}

function hashInput(purpose: string, seed: number | string, rev: number, key: string): string {
  return `${purpose}\0${seed}\0${rev}\0${key}`;
}

const HEX = '0123456789abcdef';

/**
 * A version-4-shaped UUID derived from seed, rev and key: e.g.
 * uidFor(0, 7, "v1/pods|default|web") → "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" (same inputs → same uid).
 */
export function uidFor(seed: number | string, rev: number, key: string): string {
  // derive()'s first 16 bytes in hex, written into one reused buffer and read out as one string:
  // every create makes a uid, and slicing a hex digest and joining the pieces allocated ~760 bytes
  // of strings per uid (a third as much this way, at the same speed). Version nibble 4, variant
  // bits 10 (RFC 4122).
  const digest = hash('sha256', hashInput('uid', seed, rev, key), 'binary'); // one char per byte (latin1)
  for (let i = 0; i < 16; i++) {
    const byte = digest.charCodeAt(i);
    UID[UID_DIGITS[2 * i]] = HEX_BYTES[byte >> 4];
    UID[UID_DIGITS[2 * i + 1]] = HEX_BYTES[byte & 0xf];
  }
  UID[14] = 0x34; // '4'
  UID[19] = HEX_BYTES[((digest.charCodeAt(8) >> 4) & 0x3) | 0x8];
  return latin1Slice.call(UID, 0, 36);
}

/** The uid being written (dashes stay in place) and where its 32 hex digits go: 8-4-4-4-12. */
const UID = Buffer.alloc(36, '-');
const UID_DIGITS = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15, 16, 17, 19, 20, 21, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35];
const HEX_BYTES = Buffer.from(HEX);
/** Node's Buffer method behind `toString('latin1', start, end)`, without its argument handling. */
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice(this: Uint8Array, start: number, end: number): string }).latin1Slice;

/** The `n`-character suffix appended to metadata.generateName (Kubernetes uses 5), e.g. "x7k2q". */
export function nameSuffix(seed: number | string, rev: number, key: string, n = 5): string {
  const b = derive('name', seed, rev, key);
  let out = '';
  for (let i = 0; i < n; i++) out += NAME_ALPHABET[b[i % b.length] % NAME_ALPHABET.length];
  return out;
}

/** A PRNG returning floats in [0, 1), seeded from any number or string (sfc32, 128-bit state). */
export function seededRandom(seed: number | string): () => number {
  const s = derive('prng', seed, 0, '');
  let a = s.readUInt32LE(0);
  let b = s.readUInt32LE(4);
  let c = s.readUInt32LE(8);
  let d = s.readUInt32LE(12);
  return () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** An integer in [0, n) from a PRNG made by `seededRandom`. */
export function randomInt(rng: () => number, n: number): number {
  return Math.floor(rng() * n);
}

/** One element of a non-empty array, picked by the PRNG. */
export function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[randomInt(rng, items.length)];
}
