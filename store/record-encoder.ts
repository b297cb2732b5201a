// A fast path for the commit path's encoding (codec.ts `encodeEvent`): it writes the very bytes
// msgpackr writes with records, for every value whose objects all have a shape already in the
// shared structure table — which, once a few events of each kind have been written, is nearly every
// event. Anything else (a new shape, a Map, a Date, a bigint…) returns undefined and msgpackr
// encodes the value, recording new shapes as it always did; the table stays msgpackr's.
//
// Why: msgpackr finds an object's record by walking a tree of dictionaries keyed by property name
// in a first pass over the object, then writes the values in a second (4.3 µs for a ~1 KB pod,
// warm; ~6 µs in the commit path). Here one pass walks the keys and writes the values, and the
// shape tree's nodes remember their one usual child (a known shape has one key order), so a step
// is a string comparison rather than a dictionary lookup. The record byte is written before the
// values it describes: shared record ids take one byte (the table is kept at ≤ 32 shapes), so a
// placeholder is written and filled in once the last key has named the shape.
//
// Byte-identical output is what makes this safe: the decoder, the log and the structure table
// cannot tell which encoder wrote a value (test/store/record-encoder.test.ts compares the bytes
// with msgpackr's on random values).

/** A node of the shape tree: the keys so far; `id` the record id if they are a whole shared shape. */
interface Shape {
  id: number;
  /** The first child's key and node (a shape seen in one key order has exactly one). */
  key: string | undefined;
  child: Shape | undefined;
  /** Any further children. */
  more: Map<string, Shape> | undefined;
}

/** msgpackr's first record id (0x40–0x5f are the ≤ 32 shared ones, one byte each). */
const FIRST_RECORD = 0x40;
/** Bytes of each output buffer; values are written one after another until it is full (as msgpackr). */
const CHUNK = 64 * 1024;

// Per-encode state, module-level as in msgpackr: the recursive writers read it without indirection.
let target = Buffer.allocUnsafeSlow(CHUNK);
let view = new DataView(target.buffer, target.byteOffset, target.byteLength);
let pos = 0;
let start = 0;
/** Freeze each object and array once its values are written (encodeFrozen). */
let freezing = false;

/** msgpackr's structure table: the first `sharedLength` shapes are shared (ids never change; it only grows). */
export type StructureTable = string[][] & { sharedLength?: number };

export class RecordEncoder {
  private root: Shape = newShape();
  private table: StructureTable | undefined;
  private sharedLength = 0;

  /** `structures()` is the encoder's live table (msgpackr's `structures`). */
  constructor(private readonly structures: () => StructureTable) {}

  /** The bytes msgpackr would write for `value`, or undefined if it is outside this fast path. */
  encode(value: unknown): Buffer | undefined {
    const table = this.structures();
    if (table !== this.table || (table.sharedLength ?? 0) !== this.sharedLength) this.rebuild(table);
    start = pos;
    if (target.length - pos < CHUNK / 4) fresh(0);
    if (!write(value, this.root)) {
      pos = start;
      return undefined;
    }
    return target.subarray(start, pos);
  }

  /**
   * As `encode`, deep-freezing `value` on the way: each object and array is frozen once its
   * values are written — the walk the encoding makes anyway, so freezing costs no walk of its own.
   * Frozen after its children, so whatever this froze is frozen all the way down even when it
   * returns undefined part way (the caller then freezes the rest: store/view.ts deepFreeze).
   */
  encodeFrozen(value: unknown): Buffer | undefined {
    freezing = true;
    try {
      return this.encode(value);
    } finally {
      freezing = false;
    }
  }

  private rebuild(table: StructureTable): void {
    this.table = table;
    this.sharedLength = table.sharedLength ?? 0;
    this.root = newShape();
    for (let i = 0; i < this.sharedLength; i++) {
      let node = this.root;
      for (const key of table[i]) node = childOrNew(node, internalized(key));
      node.id = FIRST_RECORD + i;
    }
  }
}

/**
 * The engine's internalized copy of a key: the keys `for…in` yields are, and a table read back from
 * the log is not — comparing two internalized strings is a pointer comparison.
 */
function internalized(key: string): string {
  return Object.keys({ [key]: 0 })[0];
}

function newShape(): Shape {
  return { id: 0, key: undefined, child: undefined, more: undefined };
}

function childOrNew(node: Shape, key: string): Shape {
  const known = step(node, key);
  if (known) return known;
  const created = newShape();
  if (node.key === undefined) {
    node.key = key;
    node.child = created;
  } else (node.more ??= new Map()).set(key, created);
  return created;
}

function step(node: Shape, key: string): Shape | undefined {
  return node.key === key ? node.child : node.more?.get(key);
}

/** A new output buffer of at least `size` bytes, carrying over the value being written. */
function fresh(size: number): void {
  const next = Buffer.allocUnsafeSlow(Math.max(CHUNK, size * 2));
  target.copy(next, 0, start, pos);
  pos -= start;
  start = 0;
  target = next;
  view = new DataView(next.buffer, next.byteOffset, next.byteLength);
}

function room(bytes: number): void {
  if (pos + bytes > target.length) fresh(pos - start + bytes);
}

/** Write one value; false if it is outside the fast path. */
function write(value: unknown, root: Shape): boolean {
  switch (typeof value) {
    case 'string':
      writeString(value);
      return true;
    case 'number':
      writeNumber(value);
      return true;
    case 'boolean':
      room(1);
      target[pos++] = value ? 0xc3 : 0xc2;
      return true;
    case 'undefined':
      // msgpackr's undefined: fixext 1 of type 0
      room(3);
      target[pos++] = 0xd4;
      target[pos++] = 0;
      target[pos++] = 0;
      return true;
    case 'object':
      if (value === null) {
        room(1);
        target[pos++] = 0xc0;
        return true;
      }
      if (value.constructor === Object) return writeRecord(value as Record<string, unknown>, root);
      if (value.constructor === Array) return writeArray(value as unknown[], root);
      return false;
    default:
      return false;
  }
}

function writeRecord(object: Record<string, unknown>, root: Shape): boolean {
  room(1);
  const at = pos++ - start; // from the value's start: the buffer may be replaced while its fields are written
  let node: Shape | undefined = root;
  for (const key in object) {
    node = step(node, key);
    if (node === undefined || !write(object[key], root)) return false;
  }
  if (node.id === 0) return false;
  target[start + at] = node.id;
  if (freezing) Object.freeze(object);
  return true;
}

function writeArray(array: unknown[], root: Shape): boolean {
  const length = array.length;
  room(5);
  if (length < 0x10) target[pos++] = 0x90 | length;
  else if (length < 0x10000) {
    target[pos++] = 0xdc;
    target[pos++] = length >> 8;
    target[pos++] = length & 0xff;
  } else {
    target[pos++] = 0xdd;
    view.setUint32(pos, length);
    pos += 4;
  }
  for (let i = 0; i < length; i++) if (!write(array[i], root)) return false;
  if (freezing) Object.freeze(array);
  return true;
}

/** msgpackr's number encoding with records: fixints below 0x40 (0x40–0x7f are record ids), else the smallest int, else float 64. */
function writeNumber(n: number): void {
  room(9);
  if (n >>> 0 === n) {
    if (n < 0x40) target[pos++] = n;
    else if (n < 0x100) {
      target[pos++] = 0xcc;
      target[pos++] = n;
    } else if (n < 0x10000) {
      target[pos++] = 0xcd;
      target[pos++] = n >> 8;
      target[pos++] = n & 0xff;
    } else {
      target[pos++] = 0xce;
      view.setUint32(pos, n);
      pos += 4;
    }
  } else if (n >> 0 === n) {
    if (n >= -0x20) target[pos++] = 0x100 + n;
    else if (n >= -0x80) {
      target[pos++] = 0xd0;
      target[pos++] = n + 0x100;
    } else if (n >= -0x8000) {
      target[pos++] = 0xd1;
      view.setInt16(pos, n);
      pos += 2;
    } else {
      target[pos++] = 0xd2;
      view.setInt32(pos, n);
      pos += 4;
    }
  } else {
    target[pos++] = 0xcb;
    view.setFloat64(pos, n);
    pos += 8;
  }
}

/** UTF-8 with the smallest str header for its byte length; short strings by hand (a native call costs more). */
function writeString(s: string): void {
  const length = s.length;
  room(5 + length * 3);
  if (length >= 0x40) {
    const header = length < 0x100 ? 2 : length < 0x10000 ? 3 : 5;
    finishString(target.write(s, pos + header, 'utf8'), header);
    return;
  }
  // Guess the header of an ASCII string; finishString moves the bytes if the UTF-8 came out longer.
  // Non-ASCII as msgpackr writes it (a lone surrogate as its three bytes).
  const header = length < 0x20 ? 1 : 2;
  const t = target;
  let p = pos + header;
  for (let i = 0; i < length; i++) {
    const c = s.charCodeAt(i);
    let c2;
    if (c < 0x80) t[p++] = c;
    else if (c < 0x800) {
      t[p++] = (c >> 6) | 0xc0;
      t[p++] = (c & 0x3f) | 0x80;
    } else if ((c & 0xfc00) === 0xd800 && ((c2 = s.charCodeAt(i + 1)) & 0xfc00) === 0xdc00) {
      const cp = 0x10000 + ((c & 0x03ff) << 10) + (c2 & 0x03ff);
      i++;
      t[p++] = (cp >> 18) | 0xf0;
      t[p++] = ((cp >> 12) & 0x3f) | 0x80;
      t[p++] = ((cp >> 6) & 0x3f) | 0x80;
      t[p++] = (cp & 0x3f) | 0x80;
    } else {
      t[p++] = (c >> 12) | 0xe0;
      t[p++] = ((c >> 6) & 0x3f) | 0x80;
      t[p++] = (c & 0x3f) | 0x80;
    }
  }
  finishString(p - pos - header, header);
}

/** Write the header for `bytes` bytes of string already written after a `guessed`-byte gap. */
function finishString(bytes: number, guessed: number): void {
  const header = bytes < 0x20 ? 1 : bytes < 0x100 ? 2 : bytes < 0x10000 ? 3 : 5;
  if (header !== guessed) target.copyWithin(pos + header, pos + guessed, pos + guessed + bytes);
  if (header === 1) target[pos++] = 0xa0 | bytes;
  else if (header === 2) {
    target[pos++] = 0xd9;
    target[pos++] = bytes;
  } else if (header === 3) {
    target[pos++] = 0xda;
    target[pos++] = bytes >> 8;
    target[pos++] = bytes & 0xff;
  } else {
    target[pos++] = 0xdb;
    view.setUint32(pos, bytes);
    pos += 4;
  }
  pos += bytes;
}
