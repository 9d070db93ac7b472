/**
 * The PCM data plane's wire format, the one place it is defined: main encodes, the preload and
 * the web bridge decode. One binary message per tap per batch; little-endian:
 *
 *   offset 0  u32  tap number (TapView.number)
 *   offset 4  u8   leg index
 *   offset 5  u8×3 reserved, 0
 *   offset 8  f64  wall-clock ms of the batch's first sample (ms since the epoch)
 *   offset 16      SLIN16 samples (16 kHz, 16-bit signed, little-endian), even length
 *
 * Plain typed arrays only (no Buffer, no DOM), so main, the preload and the page share it.
 */

/**
 * In Electron, the preload posts each tap's data-plane MessagePort into the page as a window
 * message `{ type: PCM_PORT_MESSAGE, tapNumber }` with the port transferred, so the page can hand
 * it on to its live worker.
 */
export const PCM_PORT_MESSAGE = 'asterisk-tap:pcm-port';

/** Bytes before the samples. */
export const PCM_HEADER_BYTES = 16;

/** One decoded data-plane message. */
export interface PcmPacket {
  tapNumber: number;
  leg: number;
  wallClockMs: number;
  /** A view into the message (no copy). */
  samples: Int16Array;
}

/** Frames a batch for the data plane; the result is a fresh buffer the caller may transfer. */
export function encodePcmPacket(tapNumber: number, leg: number, wallClockMs: number, pcm: Uint8Array): ArrayBuffer {
  const packet = new ArrayBuffer(PCM_HEADER_BYTES + pcm.byteLength);
  const view = new DataView(packet);
  view.setUint32(0, tapNumber, true);
  view.setUint8(4, leg);
  view.setFloat64(8, wallClockMs, true);
  new Uint8Array(packet, PCM_HEADER_BYTES).set(pcm);
  return packet;
}

/** Reads a data-plane message; undefined for a malformed one, which is dropped. */
export function decodePcmPacket(packet: ArrayBuffer): PcmPacket | undefined {
  if (packet.byteLength < PCM_HEADER_BYTES || (packet.byteLength - PCM_HEADER_BYTES) % 2 !== 0) return undefined;
  const view = new DataView(packet);
  return { tapNumber: view.getUint32(0, true), leg: view.getUint8(4), wallClockMs: view.getFloat64(8, true), samples: new Int16Array(packet, PCM_HEADER_BYTES) };
}
