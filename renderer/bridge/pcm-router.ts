import { PCM_HEADER_BYTES } from '../../preload/contract.ts';

type PcmListener = (leg: number, wallClockMs: number, samples: Int16Array) => void;

/** Dispatches data-plane packets (layout in preload/contract.ts) to the listeners of each tap. */
export class PcmRouter {
  private readonly listeners = new Map<number, Set<PcmListener>>();

  on(tapNumber: number, listener: PcmListener): () => void {
    let set = this.listeners.get(tapNumber);
    if (!set) this.listeners.set(tapNumber, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  dispatch(packet: ArrayBuffer): void {
    if (packet.byteLength < PCM_HEADER_BYTES || (packet.byteLength - PCM_HEADER_BYTES) % 2 !== 0) return;
    const view = new DataView(packet);
    const set = this.listeners.get(view.getUint32(0, true));
    if (!set || set.size === 0) return;
    const leg = view.getUint8(4);
    const wall = view.getFloat64(8, true);
    const samples = new Int16Array(packet, PCM_HEADER_BYTES);
    for (const l of set) l(leg, wall, samples);
  }
}
