/**
 * Turns websocket payloads of any length into whole 16-bit samples: an odd trailing byte is held
 * and prepended to the next payload, so a sample split across frames is never corrupted.
 * Holds at most one byte, so memory does not grow with input.
 */
export class PcmAssembler {
  private carry: number | undefined;

  /** Bytes currently held back (0 or 1). */
  get pendingBytes(): number {
    return this.carry === undefined ? 0 : 1;
  }

  /** Returns the whole samples available after `chunk`, possibly empty. */
  push(chunk: Buffer): Buffer {
    let data = chunk;
    if (this.carry !== undefined) {
      data = Buffer.allocUnsafe(chunk.length + 1);
      data[0] = this.carry;
      chunk.copy(data, 1);
      this.carry = undefined;
    }
    if (data.length % 2 === 1) {
      this.carry = data[data.length - 1];
      data = data.subarray(0, data.length - 1);
    }
    return data;
  }

  /** Drops a held byte at end of stream; returns how many bytes were discarded. */
  flush(): number {
    const n = this.pendingBytes;
    this.carry = undefined;
    return n;
  }
}
