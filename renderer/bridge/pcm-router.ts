import { decodePcmPacket } from '../../preload/pcm-wire.ts';

type PcmListener = (leg: number, wallClockMs: number, samples: Int16Array) => void;

/** Dispatches data-plane packets (layout in preload/pcm-wire.ts) to the listeners of each tap. */
export class PcmRouter {
  private readonly listeners = new Map<number, Set<PcmListener>>();

  on(tapNumber: number, listener: PcmListener): () => void {
    let set = this.listeners.get(tapNumber);
    if (!set) this.listeners.set(tapNumber, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  dispatch(packet: ArrayBuffer): void {
    const p = decodePcmPacket(packet);
    if (!p) return;
    for (const l of this.listeners.get(p.tapNumber) ?? []) l(p.leg, p.wallClockMs, p.samples);
  }
}
