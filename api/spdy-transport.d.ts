// The part of spdy-transport (no published types) that api/routes/port-forward.ts uses: a server
// side SPDY/3.1 connection over any duplex stream, whose peer-opened streams arrive as 'stream'.
declare module 'spdy-transport' {
  import type { Duplex } from 'node:stream';
  import type { EventEmitter } from 'node:events';

  export interface SpdyStream extends Duplex {
    id: number;
    headers: Record<string, string>;
    respond(status: number, headers: Record<string, string>, callback?: (err?: Error) => void): void;
  }

  export interface SpdyConnection extends EventEmitter {
    on(event: 'stream', listener: (stream: SpdyStream) => void): this;
    on(event: 'error' | 'close', listener: (err?: Error) => void): this;
    end(callback?: () => void): void;
    destroyStreams(err?: Error): void;
  }

  const transport: {
    connection: { create(socket: Duplex, options: { protocol: 'spdy'; isServer: boolean; windowSize?: number }): SpdyConnection };
  };
  export default transport;
}
