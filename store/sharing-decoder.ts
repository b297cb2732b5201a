// A decoder for the log's values (msgpackr with records, codec.ts) that gives byte-identical
// subtrees ONE shared, deep-frozen object. It yields the values msgpackr's own decoder yields.
//
// Why: a list in the past decodes thousands of events whose objects are mostly the same bytes —
// pods of one ReplicaSet carry the same spec, labels and ownerReferences; one pod's versions differ
// in a few fields. msgpackr allocates all of it afresh for every event, and because a list keeps its
// objects, the young-generation collector copies every one of them (measured: decoding 10,000 pods
// and dropping them costs 15–20 ms, keeping them 50–85 ms). Sharing what is identical means only
// what differs is allocated and kept: 10,000 pod events of the replay benchmark hold 3.35 KB of
// heap each decoded by msgpackr, 0.45 KB decoded here.
//
// The bytes handed to `decode` must never change afterwards (the cache compares against them):
// values read from LevelDB are fresh buffers, which is what this is for.
//
// How: pass 1 walks the value once without building anything — it finds where each map, array and
// record ends and whether it is self-contained (see below) — and a polynomial prefix hash of the
// bytes gives any span's hash in O(1). Pass 2 builds the value top-down: each self-contained
// container of at least MIN_SHARED bytes is looked up by its hash in a cache of frozen subtrees,
// confirmed byte for byte, and only built on a miss. The cache is a direct-mapped table whose slots
// count their hits (up to 3): a miss replaces a slot's entry only once its count has run down, so
// subtrees in use stay while the one-off ones (a pod's metadata) pass through. No allocation per
// entry, no Map: the cache must cost less than the copying it saves.
//
// Self-contained: msgpackr writes a shape outside the shared structure table inline, as an "own"
// record definition valid for the rest of that one value, so the same bytes can mean different keys
// in two values. A subtree that defines or uses such a record is never shared (nor are its
// ancestors). Anything this decoder does not know (bins, extensions other than `undefined`, 64-bit
// integers, bundled strings, two-byte record ids) throws UNSUPPORTED and the caller falls back to
// msgpackr — the codec never writes them today, and the result stays right if it ever does.

/** Thrown for input outside the subset this decoder handles; decode with msgpackr instead. */
export const UNSUPPORTED = new Error('value outside the sharing decoder subset');

/** Containers smaller than this are built, not looked up: the lookup would cost what building does. */
const MIN_SHARED = 32;
/** Cache slots (a power of two). */
const SLOTS = 1 << 14;
const MASK = SLOTS - 1;
const MAX_LIFE = 3;
const P = 0x01000193;

type RecordReader = (read: () => unknown) => unknown;

// Per-decode state, module-level as in msgpackr: the hot loop reads it without indirection.
let src: Uint8Array = new Uint8Array(0);
let view: DataView = new DataView(src.buffer);
let pos = 0;
/** End offset of the container starting at each offset (pass 1), 0 where none starts. */
let ends = new Int32Array(1024);
/** 1 where the container starting there uses no own record (it may be shared). */
let selfContained = new Uint8Array(1024);
/** prefix[i] = hash of bytes [0, i). */
let prefix = new Int32Array(1025);
/** powers[n] = P^n (mod 2^32). */
let powers = new Int32Array([1]);
/** The value's own record definitions, by id (0x40–0x7f less the shared ones). */
let own: Array<string[] | undefined> = [];

export class SharingDecoder {
  // The cache, as parallel arrays by slot: the bytes an entry was decoded from, its hash, and the value.
  private readonly slotSrc: Array<Uint8Array | undefined> = new Array(SLOTS).fill(undefined);
  private readonly slotStart = new Int32Array(SLOTS);
  private readonly slotEnd = new Int32Array(SLOTS);
  private readonly slotHash = new Int32Array(SLOTS);
  private readonly slotLife = new Uint8Array(SLOTS);
  private readonly slotValue: unknown[] = new Array(SLOTS).fill(undefined);
  /** Compiled record readers by keys array (the shared table's arrays live as long as the codec)… */
  private readonly readers = new WeakMap<string[], RecordReader>();
  /** …and by shape (keys joined by NUL), for a value's own records: a new keys array each value. */
  private readonly ownReaders = new Map<string, RecordReader>();

  /** `shared()` is the codec's shared structure table (it grows; ids never change meaning). */
  constructor(private readonly shared: () => string[][]) {}

  decode(buf: Uint8Array): unknown {
    setSource(buf);
    hashPrefixes(buf);
    own = [];
    scan(this.shared());
    if (pos !== buf.length) throw UNSUPPORTED;
    pos = 0;
    own = [];
    return this.read(true);
  }

  /** One value at `pos`, shared from the cache when it is a large self-contained container (not the root). */
  private read(root = false): unknown {
    const start = pos;
    const end = ends[start];
    if (root || end - start < MIN_SHARED || selfContained[start] === 0) return this.build();
    const hash = spanHash(start, end);
    const slot = hash & MASK;
    const cached = this.slotSrc[slot];
    if (cached && this.slotHash[slot] === hash && sameBytes(cached, this.slotStart[slot], this.slotEnd[slot], start, end)) {
      if (this.slotLife[slot] < MAX_LIFE) this.slotLife[slot]++;
      pos = end;
      return this.slotValue[slot];
    }
    const value = this.build();
    if (cached && this.slotLife[slot] > 0) {
      this.slotLife[slot]--;
    } else {
      this.slotSrc[slot] = src;
      this.slotStart[slot] = start;
      this.slotEnd[slot] = end;
      this.slotHash[slot] = hash;
      this.slotValue[slot] = value;
    }
    return value;
  }

  private readonly readChild = (): unknown => this.read();

  /** Build the value at `pos` (its children through `read`, so they may be shared). */
  private build(): unknown {
    const token = src[pos++];
    if (token < 0x40) return token;
    if (token < 0x80) return this.record(token & 0x3f);
    if (token < 0x90) return this.map(token - 0x80);
    if (token < 0xa0) return this.array(token - 0x90);
    if (token < 0xc0) return str(token - 0xa0);
    if (token >= 0xe0) return token - 0x100;
    switch (token) {
      case 0xc0: return null;
      case 0xc2: return false;
      case 0xc3: return true;
      case 0xcb: return num(view.getFloat64(pos), 8);
      case 0xcc: return src[pos++];
      case 0xcd: return num(view.getUint16(pos), 2);
      case 0xce: return num(view.getUint32(pos), 4);
      case 0xd0: return num(view.getInt8(pos), 1);
      case 0xd1: return num(view.getInt16(pos), 2);
      case 0xd2: return num(view.getInt32(pos), 4);
      case 0xd4: return this.fixext1();
      case 0xd9: return str(src[pos++]);
      case 0xda: return str(num(view.getUint16(pos), 2));
      case 0xdb: return str(num(view.getUint32(pos), 4));
      case 0xdc: return this.array(num(view.getUint16(pos), 2));
      case 0xdd: return this.array(num(view.getUint32(pos), 4));
      case 0xde: return this.map(num(view.getUint16(pos), 2));
      case 0xdf: return this.map(num(view.getUint32(pos), 4));
      default: throw UNSUPPORTED;
    }
  }

  /** `undefined` (extension 0), or an own record definition followed by its first record. */
  private fixext1(): unknown {
    const type = src[pos++];
    const id = src[pos++];
    if (type === 0) return undefined;
    // type 0x72: the keys (an array of strings), then the record's values.
    const keys = this.build() as string[];
    own[id & 0x3f] = keys;
    return this.recordOf(keys);
  }

  private record(id: number): unknown {
    const keys = this.shared()[id] ?? own[id];
    if (!keys) return id + 0x40; // msgpackr: an unknown record id reads as the integer it is
    return this.recordOf(keys);
  }

  private recordOf(keys: string[]): unknown {
    let reader = this.readers.get(keys);
    if (!reader) {
      const shape = keys.join('\0');
      reader = this.ownReaders.get(shape) ?? compileRecord(keys);
      this.ownReaders.set(shape, reader);
      this.readers.set(keys, reader);
    }
    return reader(this.readChild);
  }

  private array(length: number): readonly unknown[] {
    const a = new Array<unknown>(length);
    for (let i = 0; i < length; i++) a[i] = this.read();
    return Object.freeze(a);
  }

  private map(length: number): object {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < length; i++) {
      const key = this.build();
      if (typeof key !== 'string') throw UNSUPPORTED;
      o[key === '__proto__' ? '__proto_' : key] = this.read();
    }
    return Object.freeze(o);
  }
}

/**
 * A record's object literal, compiled once per shape as msgpackr does (fast property layout):
 * `Object.freeze({"a": r(), "b": r()})`. `__proto__` is renamed `__proto_`, like msgpackr.
 */
function compileRecord(keys: string[]): RecordReader {
  const body = keys.map((k) => `${JSON.stringify(k === '__proto__' ? '__proto_' : k)}: r()`).join(', ');
  return new Function('r', `return Object.freeze({${body}})`) as RecordReader;
}

function setSource(buf: Uint8Array): void {
  src = buf;
  view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  pos = 0;
  if (ends.length < buf.length + 1) {
    const size = Math.max(buf.length + 1, ends.length * 2);
    ends = new Int32Array(size);
    selfContained = new Uint8Array(size);
    prefix = new Int32Array(size + 1);
  } else {
    ends.fill(0, 0, buf.length + 1);
  }
}

/** Advance `pos` by `n` bytes, returning `value` (keeps the switch arms one-liners). */
function num(value: number, n: number): number {
  pos += n;
  return value;
}

/**
 * Short ASCII strings seen before, direct-mapped by the hash of their bytes: a Kubernetes object is
 * mostly short strings that repeat (names, images, phases, label values), and one shared copy of
 * each is cheaper to keep than thousands.
 */
const STRING_SLOTS = 1 << 14;
const strings: string[] = new Array(STRING_SLOTS).fill('');
const MAX_INTERNED_LENGTH = 32;

/** A UTF-8 string of `length` bytes at `pos`. */
function str(length: number): string {
  const start = pos;
  const end = (pos += length);
  if (end > src.length) throw UNSUPPORTED;
  if (length > MAX_INTERNED_LENGTH) return utf8(start, end);
  const slot = spanHash(start, end) & (STRING_SLOTS - 1);
  const known = strings[slot];
  if (sameChars(known, start, end)) return known;
  for (let i = start; i < end; i++) if (src[i] >= 0x80) return utf8(start, end);
  return (strings[slot] = latin1(start, end));
}

function sameChars(s: string, start: number, end: number): boolean {
  if (s.length !== end - start) return false;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== src[start + i]) return false;
  return true;
}

/** Node's Buffer method behind `toString('latin1', start, end)`, without its argument handling. */
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice(this: Uint8Array, start: number, end: number): string }).latin1Slice;

/** ASCII bytes as a string (one flat string, built in C++). */
function latin1(start: number, end: number): string {
  return latin1Slice.call(src, start, end);
}

const textDecoder = new TextDecoder();
function utf8(start: number, end: number): string {
  return textDecoder.decode(src.subarray(start, end));
}

/**
 * Pass 1: skip the value at `pos`, recording each container's end and whether it is
 * self-contained. Returns whether the value is.
 */
function scan(shared: string[][]): boolean {
  const start = pos;
  const token = src[pos++];
  if (token === undefined) throw UNSUPPORTED;
  if (token < 0x40 || (token >= 0xa0 && token < 0xc0) || token >= 0xe0) {
    if (token >= 0xa0 && token < 0xc0) pos += token - 0xa0;
    return true;
  }
  if (token < 0x80) {
    const id = token & 0x3f;
    const keys = shared[id];
    if (keys) return container(start, keys.length, 1, shared, true);
    const mine = own[id];
    if (mine) return container(start, mine.length, 1, shared, false);
    return true; // an integer
  }
  if (token < 0x90) return container(start, token - 0x80, 2, shared, true);
  if (token < 0xa0) return container(start, token - 0x90, 1, shared, true);
  switch (token) {
    case 0xc0: case 0xc2: case 0xc3: return true;
    case 0xcc: case 0xd0: pos += 1; return true;
    case 0xcd: case 0xd1: pos += 2; return true;
    case 0xce: case 0xd2: pos += 4; return true;
    case 0xcb: pos += 8; return true;
    case 0xd9: pos += 1 + src[pos]; return true;
    case 0xda: pos += 2 + view.getUint16(pos); return true;
    case 0xdb: pos += 4 + view.getUint32(pos); return true;
    case 0xdc: pos += 2; return container(start, view.getUint16(pos - 2), 1, shared, true);
    case 0xdd: pos += 4; return container(start, view.getUint32(pos - 4), 1, shared, true);
    case 0xde: pos += 2; return container(start, view.getUint16(pos - 2), 2, shared, true);
    case 0xdf: pos += 4; return container(start, view.getUint32(pos - 4), 2, shared, true);
    case 0xd4: {
      const type = src[pos++];
      const id = src[pos++];
      if (type === 0) return true;
      if (type !== 0x72 || id < 0x40 || id > 0x7f) throw UNSUPPORTED;
      own[id & 0x3f] = readKeys(shared);
      return container(start, own[id & 0x3f]!.length, 1, shared, false);
    }
    default: throw UNSUPPORTED;
  }
}

/** Scan `count` × `per` values of a container that started at `start`. */
function container(start: number, count: number, per: number, shared: string[][], contained: boolean): boolean {
  if (count * per > src.length - pos) throw UNSUPPORTED;
  for (let i = 0; i < count * per; i++) contained = scan(shared) && contained;
  ends[start] = pos;
  selfContained[start] = contained ? 1 : 0;
  return contained;
}

/** An own record definition's keys: an array of strings, read without the sharing machinery. */
function readKeys(shared: string[][]): string[] {
  const start = pos;
  scan(shared);
  const end = pos;
  pos = start;
  const token = src[pos++];
  const n = token >= 0x90 && token < 0xa0 ? token - 0x90 : token === 0xdc ? num(view.getUint16(pos), 2) : -1;
  if (n < 0) throw UNSUPPORTED;
  const keys: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = src[pos++];
    if (t >= 0xa0 && t < 0xc0) keys.push(str(t - 0xa0));
    else if (t === 0xd9) keys.push(str(src[pos++]));
    else throw UNSUPPORTED;
  }
  if (pos !== end) throw UNSUPPORTED;
  return keys;
}

function hashPrefixes(buf: Uint8Array): void {
  const n = buf.length;
  if (powers.length <= n) {
    const grown = new Int32Array(Math.max(n + 1, powers.length * 2));
    grown[0] = 1;
    for (let i = 1; i < grown.length; i++) grown[i] = Math.imul(grown[i - 1], P);
    powers = grown;
  }
  let h = 0;
  prefix[0] = 0;
  for (let i = 0; i < n; i++) prefix[i + 1] = h = (Math.imul(h, P) + buf[i]) | 0;
}

/** The hash of bytes [start, end) of the current value. */
function spanHash(start: number, end: number): number {
  return (prefix[end] - Math.imul(prefix[start], powers[end - start])) | 0;
}

/** Whether bytes [aStart, aEnd) of `a` equal bytes [start, end) of the current value. */
function sameBytes(a: Uint8Array, aStart: number, aEnd: number, start: number, end: number): boolean {
  if (aEnd - aStart !== end - start) return false;
  for (let i = aStart, j = start; j < end; i++, j++) if (a[i] !== src[j]) return false;
  return true;
}
