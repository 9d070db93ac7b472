/**
 * The last `capacityBytes` of a stream, for instant replay. Keeps the batches as they came
 * (no copy on push) and drops whole batches from the front once over capacity, trimming the
 * oldest one so exactly the capacity is kept. Memory grows with the audio up to the capacity.
 */
export class PcmRing {
  private readonly capacity: number;
  private chunks: Buffer[] = [];
  private head = 0; // bytes to skip in chunks[0]
  private size = 0;

  constructor(capacityBytes: number) {
    if (!(capacityBytes > 0) || capacityBytes % 2 !== 0) throw new RangeError('capacity must be a positive, even number of bytes');
    this.capacity = capacityBytes;
  }

  /** Bytes held (at most the capacity). */
  get length(): number {
    return this.size;
  }

  push(data: Buffer): void {
    if (data.length === 0) return;
    this.chunks.push(data);
    this.size += data.length;
    while (this.size > this.capacity) {
      const first = this.chunks[0]!;
      const available = first.length - this.head;
      const excess = this.size - this.capacity;
      if (available <= excess) {
        this.chunks.shift();
        this.head = 0;
        this.size -= available;
      } else {
        this.head += excess;
        this.size -= excess;
      }
    }
  }

  /** A copy of the last `bytes` (or all held, if fewer). */
  last(bytes: number): Buffer {
    const n = Math.min(Math.max(0, Math.floor(bytes)), this.size);
    const out = Buffer.allocUnsafe(n);
    let skip = this.size - n;
    let pos = 0;
    for (let i = 0; i < this.chunks.length && pos < n; i++) {
      const c = this.chunks[i]!;
      let start = i === 0 ? this.head : 0;
      const avail = c.length - start;
      if (skip >= avail) {
        skip -= avail;
        continue;
      }
      start += skip;
      skip = 0;
      pos += c.copy(out, pos, start, Math.min(c.length, start + (n - pos)));
    }
    return out;
  }

  clear(): void {
    this.chunks = [];
    this.head = 0;
    this.size = 0;
  }
}
