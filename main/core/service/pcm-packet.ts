import { PCM_HEADER_BYTES } from '../../../preload/contract.ts';

/** Frames a PCM batch for the data plane (layout in preload/contract.ts). */
export function encodePcmPacket(tapNumber: number, leg: number, wallClockMs: number, data: Buffer): Buffer {
  const packet = Buffer.allocUnsafe(PCM_HEADER_BYTES + data.length);
  packet.writeUInt32LE(tapNumber, 0);
  packet.writeUInt8(leg, 4);
  packet.fill(0, 5, 8);
  packet.writeDoubleLE(wallClockMs, 8);
  data.copy(packet, PCM_HEADER_BYTES);
  return packet;
}
