/**
 * A read-only websocket frame reader for server-to-client frames on a stream-channel socket.
 *
 * Why not `ws`: when a server breaks the protocol (a frame over maxPayload, RSV bits, a masked
 * server frame, a bad opcode), `ws` answers with a close frame (1009/1002) and drops the TCP
 * connection. On res_ari_stream a client-first close wedges or aborts Asterisk, so this reader
 * never decides to close: it reports what is wrong once per kind and keeps discarding. It never
 * buffers more than `maxPayload` bytes of one message; the rest of an oversize frame is skipped
 * as it streams past.
 */

export type FrameViolation = 'oversize' | 'rsv' | 'masked' | 'opcode' | 'control' | 'fragment' | 'length' | 'text';

export interface FrameReaderSink {
  binary(data: Buffer): void;
  /** A server close frame (code 1005 when it carried none). */
  close(code: number): void;
  ping(payload: Buffer): void;
  /** The server broke the protocol; the reader goes on discarding. Once per kind. */
  violation(kind: FrameViolation, message: string): void;
}

const OP = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** Where a reader is in the byte stream, to continue in another process (JSON-safe). */
export interface FrameReaderState {
  header: string;
  remaining: number;
  opcode: number;
  fin: boolean;
  mask: string | null;
  maskOffset: number;
  discarding: boolean;
  parts: string;
  control: string;
  messageBytes: number;
  messageOpcode: number;
  messageDiscarded: boolean;
  lost: boolean;
  reported: FrameViolation[];
}

export class StreamFrameReader {
  private readonly sink: FrameReaderSink;
  private readonly maxPayload: number;
  private readonly reported = new Set<FrameViolation>();
  private header: Buffer = Buffer.alloc(0);
  /** Bytes of the current frame's payload still to come; -1 while reading a header. */
  private remaining = -1;
  private opcode = 0;
  private fin = true;
  private mask: Buffer | undefined;
  private maskOffset = 0;
  /** The current frame's payload is thrown away as it arrives (oversize, unknown, or a bad message). */
  private discarding = false;
  private parts: Buffer[] = [];
  private control: Buffer[] = [];
  private messageBytes = 0;
  private messageOpcode = -1;
  /** Some frame of the current message was discarded, so the whole message is. */
  private messageDiscarded = false;
  /** The framing can no longer be trusted (a length that cannot be real): every byte is discarded. */
  private lost = false;

  constructor(sink: FrameReaderSink, maxPayload: number) {
    this.sink = sink;
    this.maxPayload = maxPayload;
  }

  /** The exact position in the framing (for a hand-off to another process). */
  snapshot(): FrameReaderState {
    return {
      header: this.header.toString('base64'),
      remaining: this.remaining,
      opcode: this.opcode,
      fin: this.fin,
      mask: this.mask ? Buffer.from(this.mask).toString('base64') : null,
      maskOffset: this.maskOffset,
      discarding: this.discarding,
      parts: Buffer.concat(this.parts).toString('base64'),
      control: Buffer.concat(this.control).toString('base64'),
      messageBytes: this.messageBytes,
      messageOpcode: this.messageOpcode,
      messageDiscarded: this.messageDiscarded,
      lost: this.lost,
      reported: [...this.reported],
    };
  }

  /** Continues from a {@link snapshot} taken in another process. */
  static restore(sink: FrameReaderSink, maxPayload: number, st: FrameReaderState): StreamFrameReader {
    const r = new StreamFrameReader(sink, maxPayload);
    r.header = Buffer.from(st.header, 'base64');
    r.remaining = st.remaining;
    r.opcode = st.opcode;
    r.fin = st.fin;
    r.mask = st.mask === null ? undefined : Buffer.from(st.mask, 'base64');
    r.maskOffset = st.maskOffset;
    r.discarding = st.discarding;
    const parts = Buffer.from(st.parts, 'base64');
    r.parts = parts.length > 0 ? [parts] : [];
    const control = Buffer.from(st.control, 'base64');
    r.control = control.length > 0 ? [control] : [];
    r.messageBytes = st.messageBytes;
    r.messageOpcode = st.messageOpcode;
    r.messageDiscarded = st.messageDiscarded;
    r.lost = st.lost;
    for (const k of st.reported) r.reported.add(k);
    return r;
  }

  /** True once the framing was lost: the reader only counts bytes until the server closes. */
  get framingLost(): boolean {
    return this.lost;
  }

  push(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length && !this.lost) {
      if (this.remaining < 0) {
        pos = this.readHeader(chunk, pos);
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - pos);
      if (!this.discarding) this.keep(chunk.subarray(pos, pos + take));
      this.remaining -= take;
      pos += take;
      if (this.remaining === 0) this.endFrame();
    }
  }

  private readHeader(chunk: Buffer, pos: number): number {
    // Assemble the header (2-14 bytes) across chunk boundaries.
    const need = (h: Buffer): number => {
      if (h.length < 2) return 2;
      const len7 = h[1]! & 0x7f;
      return 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + ((h[1]! & 0x80) !== 0 ? 4 : 0);
    };
    while (pos < chunk.length) {
      const want = need(this.header);
      if (this.header.length >= want) break;
      const take = Math.min(want - this.header.length, chunk.length - pos);
      this.header = Buffer.concat([this.header, chunk.subarray(pos, pos + take)]);
      pos += take;
    }
    if (this.header.length < need(this.header) || this.header.length < 2) return pos;
    this.startFrame(this.header);
    this.header = Buffer.alloc(0);
    if (this.remaining === 0 && !this.lost) this.endFrame();
    return pos;
  }

  private startFrame(h: Buffer): void {
    const b0 = h[0]!;
    const b1 = h[1]!;
    this.fin = (b0 & 0x80) !== 0;
    this.opcode = b0 & 0x0f;
    const len7 = b1 & 0x7f;
    let length: number;
    let at = 2;
    if (len7 === 126) {
      length = h.readUInt16BE(2);
      at = 4;
    } else if (len7 === 127) {
      const big = h.readBigUInt64BE(2);
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) {
        this.report('length', `a frame length of ${big} bytes, which cannot be real: the rest of the stream is discarded until the server closes`);
        this.lost = true;
        return;
      }
      length = Number(big);
      at = 10;
    } else length = len7;
    this.mask = (b1 & 0x80) !== 0 ? h.subarray(at, at + 4) : undefined;
    this.maskOffset = 0;
    if (this.mask) this.report('masked', 'a masked frame from the server (servers must not mask)');
    this.remaining = length;
    this.discarding = false;
    if ((b0 & 0x70) !== 0) {
      this.report('rsv', 'a frame with reserved (RSV) bits set, which nothing negotiated');
      this.discarding = true;
    }
    const control = this.opcode >= 0x8;
    if (control) {
      if (![OP.close, OP.ping, OP.pong].includes(this.opcode as 8 | 9 | 10)) this.discard('opcode', `a frame with the unknown opcode ${this.opcode}`);
      else if (length > 125 || !this.fin) this.discard('control', 'a control frame over 125 bytes or fragmented');
      // Control frames may come between the fragments of a message: they are collected apart.
      return;
    }
    if (this.opcode !== OP.continuation && this.opcode !== OP.text && this.opcode !== OP.binary) {
      this.discard('opcode', `a frame with the unknown opcode ${this.opcode}`);
      return;
    }
    if (this.opcode === OP.continuation ? this.messageOpcode < 0 : this.messageOpcode >= 0) {
      this.report('fragment', 'a continuation frame out of order');
      this.resetMessage();
      this.discarding = true;
      return;
    }
    if (this.opcode !== OP.continuation) this.messageOpcode = this.opcode;
    if (this.messageDiscarded) this.discarding = true;
    else if (this.messageOpcode === OP.text) {
      this.report('text', 'a text frame (res_ari_stream sends only binary audio)');
      this.discarding = true;
    } else if (this.messageBytes + length > this.maxPayload) {
      this.report('oversize', `a frame of ${length} bytes, over the ${this.maxPayload}-byte limit (max payload): it is discarded`);
      this.discarding = true;
    }
    if (this.discarding) this.messageDiscarded = true;
  }

  private discard(kind: FrameViolation, message: string): void {
    this.report(kind, message);
    this.discarding = true;
  }

  private keep(bytes: Buffer): void {
    const copy = Buffer.from(bytes);
    if (this.mask) {
      for (let i = 0; i < copy.length; i++) copy[i] = copy[i]! ^ this.mask[(this.maskOffset + i) & 3]!;
      this.maskOffset += copy.length;
    }
    if (this.opcode >= 0x8) this.control.push(copy);
    else {
      this.parts.push(copy);
      this.messageBytes += copy.length;
    }
  }

  private endFrame(): void {
    this.remaining = -1;
    if (this.opcode >= 0x8) {
      const payload = Buffer.concat(this.control);
      this.control = [];
      if (this.discarding) return;
      if (this.opcode === OP.close) this.sink.close(payload.length >= 2 ? payload.readUInt16BE(0) : 1005);
      else if (this.opcode === OP.ping) this.sink.ping(payload);
      return;
    }
    if (!this.fin) return;
    const wasDiscarding = this.discarding || this.messageDiscarded || this.messageOpcode !== OP.binary;
    const data = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    this.resetMessage();
    if (!wasDiscarding) this.sink.binary(data);
  }

  private resetMessage(): void {
    this.parts = [];
    this.messageBytes = 0;
    this.messageOpcode = -1;
    this.messageDiscarded = false;
  }

  private report(kind: FrameViolation, message: string): void {
    if (this.reported.has(kind)) return;
    this.reported.add(kind);
    this.sink.violation(kind, message);
  }
}
