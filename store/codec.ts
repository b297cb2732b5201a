// Encoding of log values with msgpackr records. With `useRecords`, msgpackr writes each object shape
// (its list of keys) once as a "structure" and then only the values; decoding builds objects from a
// compiled constructor — several times faster than plain msgpack or JSON for Kubernetes objects.
//
// Shared structures are what make the log decodable later, so they are part of the data: every new
// shape is recorded and the whole structure table is written under `m structures` IN THE SAME BATCH
// as the first value that uses it (see `takeStructuresPut`). A crash therefore never leaves a value
// whose shape is unknown, and a reopened store decodes everything it ever wrote.

import { Packr } from 'msgpackr';
import type { Event } from '../core/events.ts';
import { metaKey } from './keys.ts';
import type { Db } from './db.ts';
import { SharingDecoder } from './sharing-decoder.ts';
import { RecordEncoder, type StructureTable } from './record-encoder.ts';
import { deepFreeze } from './view.ts';

/** Where the structure table lives (`m structures`, keys.ts); an import copies a trace's table there. */
export const STRUCTURES = metaKey('structures');
/**
 * Shapes shared across values; the rest are defined inline in each value (still decodable). Kept at
 * msgpackr's one-byte record range: with more than 32 shared structures msgpackr switches to
 * two-byte record ids, and a Packr re-created from the saved table then misreads them ("Data read,
 * but end of buffer not reached" on reopen; msgpackr 2.1.3). test/store/reopen-shapes.test.ts pins it.
 */
const MAX_SHARED = 32;

/** Plain msgpack for the structure table itself (it must not depend on itself). */
const plain = new Packr({ useRecords: false });

export class Codec {
  private readonly packr: Packr;
  private readonly records = new RecordEncoder(() => (this.packr as unknown as { structures: StructureTable }).structures);
  /** Bumped whenever a new shape becomes shared; `written` is the version known to be durable. */
  private version = 0;
  private written = 0;
  /** For reads that keep many objects: shares identical subtrees (sharing-decoder.ts). */
  private readonly sharing = new SharingDecoder(() => this.sharedStructures());
  private shared: { version: number; table: string[][] } = { version: -1, table: [] };

  private constructor(structures: string[][]) {
    // `freezeData` is a documented msgpackr option missing from its type declarations.
    this.packr = new Packr({
      useRecords: true,
      // Everything decoded is deep-frozen as it is built (cheaper than a freeze walk afterwards):
      // the view, past views and events hand these objects out as they are.
      freezeData: true,
      structures,
      maxSharedStructures: MAX_SHARED,
      // Called synchronously from pack() when a new shape became shared; persisted with the batch.
      saveStructures: () => {
        this.version++;
        return true;
      },
    } as ConstructorParameters<typeof Packr>[0]);
  }

  static async load(db: Db): Promise<Codec> {
    return Codec.fromTable(await db.get(STRUCTURES));
  }

  /** A codec over a saved structure table (the value of `m structures`, or a trace's copy of it); none = empty. */
  static fromTable(raw: Uint8Array | undefined): Codec {
    return new Codec(raw ? (plain.unpack(raw) as string[][]) : []);
  }

  /** msgpackr's bytes; values of known shapes through the faster record-encoder.ts, the rest through msgpackr. */
  encode(value: unknown): Buffer {
    return this.records.encode(value) ?? this.packr.pack(value);
  }

  decode<T = unknown>(buf: Uint8Array): T {
    return this.packr.unpack(buf) as T;
  }

  encodeEvent(e: Event): Buffer {
    return this.encode(e);
  }

  /** As `encodeEvent`, deep-freezing the event in place (the commit path: the store keeps it as it is). */
  encodeEventFrozen(e: Event): Buffer {
    const fast = this.records.encodeFrozen(e);
    if (fast) return fast;
    const bytes = this.packr.pack(e);
    deepFreeze(e);
    return bytes;
  }

  decodeEvent(buf: Uint8Array): Event {
    return this.decode<Event>(buf);
  }

  /**
   * As decodeEvent, but subtrees byte-identical to ones decoded before are one shared frozen object:
   * for events read from the log to be kept (a past list, the view rebuilt at open). `buf` must
   * never change afterwards. Values outside the sharing decoder's subset (and corrupt ones, so the
   * error is msgpackr's) are decoded by msgpackr.
   */
  decodeEventShared(buf: Uint8Array): Event {
    try {
      return this.sharing.decode(buf) as Event;
    } catch {
      return this.decodeEvent(buf);
    }
  }

  /** The shared structure table (without the per-value "own" structures msgpackr keeps after it). */
  private sharedStructures(): string[][] {
    if (this.shared.version !== this.version) {
      const table = (this.packr as unknown as { structures: string[][] }).structures;
      this.shared = { version: this.version, table: table.slice(0, (table as unknown as { sharedLength?: number }).sharedLength ?? table.length) };
    }
    return this.shared.table;
  }

  /** A checkpoint chunk (checkpoint.ts): the revs of events. Plain msgpack. */
  encodeRevs(revs: number[]): Buffer {
    return plain.pack(revs);
  }

  decodeRevs(buf: Uint8Array): number[] {
    return plain.unpack(buf) as number[];
  }

  /** A history segment (rev-index.ts): parallel arrays of object keys and revs. Plain msgpack. */
  encodeSegment(seg: { keys: string[]; revs: number[] }): Buffer {
    return plain.pack({ keys: seg.keys, revs: seg.revs });
  }

  decodeSegment(buf: Uint8Array): { keys: string[]; revs: number[] } {
    return plain.unpack(buf) as { keys: string[]; revs: number[] };
  }

  /**
   * The put that persists the structure table, if it changed since the last successful write; call
   * after encoding a batch's values and add it to that batch. Call `structuresWritten(put.version)` once the
   * batch is durable (until then the table is re-sent with every batch).
   */
  takeStructuresPut(): { type: 'put'; key: Buffer; value: Buffer; version: number } | undefined {
    if (this.version === this.written) return undefined;
    return { type: 'put', key: STRUCTURES, value: plain.pack(this.sharedStructures().map((s) => [...s])), version: this.version };
  }

  structuresWritten(version: number): void {
    if (version > this.written) this.written = version;
  }
}
