import { randomBytes } from 'node:crypto';
import type { Disposable } from '../common/disposable.ts';
import type { AriClient } from './ari-client.ts';
import { AriEventsHub, type AriEventsLease, type AriEventsListener } from './ari-events-hub.ts';

/** Every Stasis app and every ARI object this app creates starts with this. */
export const OBJECT_PREFIX = 'asterisk-tap-';
/** The app name of versions before per-instance names (one name shared by every run). */
const LEGACY_APP = 'asterisk-tap';
/** `asterisk-tap-<instance id>-<n>-…`: the instance that made an object. */
const OWNER = /^asterisk-tap-([0-9a-f]{8})-/;

/**
 * One running app (a desktop window's main process, a `serve`, a CLI run) as ARI sees it: its own
 * Stasis app name `asterisk-tap-<random id>`, the ids of the objects it creates, and one events
 * socket per server shared by all its legs. Two instances on one PBX (a colleague, `serve` beside
 * the desktop app) never replace each other's app, and each can tell the other's live objects
 * from leftovers: an object is a leftover when its instance's app is no longer registered.
 */
export class AriAppInstance implements Disposable {
  readonly id: string;
  readonly appName: string;
  private counter = 0;
  private readonly hubs = new Map<string, AriEventsHub>();
  /** Sockets of this app still closing, per server: the next one waits for them. */
  private readonly closing = new Map<string, Promise<void>>();

  constructor(id = randomBytes(4).toString('hex')) {
    this.id = id;
    this.appName = `${OBJECT_PREFIX}${id}`;
  }

  /** A fresh base for one tap's object ids: `asterisk-tap-<id>-<n>`. */
  nextObjectBase(): string {
    return `${this.appName}-${this.counter++}`;
  }

  /** True for objects (channel or bridge ids) this instance created. */
  owns(objectId: string): boolean {
    return objectId.startsWith(`${this.appName}-`);
  }

  /** A share of this instance's events socket on the server at `wsBase` (ws://host:port). */
  events(wsBase: string, user: string, password: string, listener: AriEventsListener): AriEventsLease {
    const key = `${wsBase}\n${user}\n${password}`;
    let hub = this.hubs.get(key);
    if (!hub) {
      const created: AriEventsHub = new AriEventsHub(
        wsBase,
        this.appName,
        user,
        password,
        () => {
          if (this.hubs.get(key) === created) this.hubs.delete(key);
          const done = created.closed.then(() => {
            if (this.closing.get(key) === done) this.closing.delete(key);
          });
          this.closing.set(key, done);
        },
        this.closing.get(key),
      );
      hub = created;
      this.hubs.set(key, hub);
    }
    return hub.acquire(listener);
  }

  /** Events sockets open now (for tests: one per server however many legs). */
  get openEventSockets(): number {
    return this.hubs.size;
  }

  /** Closes every events socket still open (at shutdown, after the taps were stopped). */
  dispose(): void {
    for (const hub of [...this.hubs.values()]) hub.dispose();
    this.hubs.clear();
  }
}

let processInstance: AriAppInstance | undefined;
/** The instance of a process that has one (the CLI); services create their own. */
export function processAriInstance(): AriAppInstance {
  processInstance ??= new AriAppInstance();
  return processInstance;
}

/** The instance id an object id names, or undefined for objects that are not ours. */
function ownerOf(objectId: string): string | undefined {
  return OWNER.exec(objectId)?.[1];
}

/** True for channels and bridges any instance of this app made (its own helpers, not calls). */
export function isAppObject(id: string): boolean {
  return id.startsWith(OBJECT_PREFIX);
}

/**
 * Deletes channels and bridges left by instances of this app that are gone (a crash, a kill): an
 * object is a leftover when the app named in its id is no longer in GET /ari/applications. A live
 * instance's objects (another window, a colleague) are never touched. Objects of older versions,
 * which all shared the app name "asterisk-tap", are removed only while no such version is running.
 * Returns how many were removed.
 */
export async function removeLeftovers(ari: AriClient, self: AriAppInstance): Promise<number> {
  // Objects first, apps second: an instance registers its app before it creates anything, so an
  // object listed here whose app is missing from the later list belongs to an instance that is gone.
  const [channels, bridges] = await Promise.all([ari.channels(), ari.bridges()]);
  const live = new Set(await ari.applications());
  const stale = (id: string): boolean => {
    const owner = ownerOf(id);
    if (owner === undefined || self.owns(id)) return false;
    if (live.has(`${OBJECT_PREFIX}${owner}`)) return false;
    return !live.has(LEGACY_APP);
  };
  const staleChannels = channels.filter((c) => stale(c.id));
  const staleBridges = bridges.filter((b) => stale(b.id));
  await Promise.allSettled([
    ...staleChannels.map((c) => ari.delete(`/channels/${encodeURIComponent(c.id)}`)),
    ...staleBridges.map((b) => ari.delete(`/bridges/${encodeURIComponent(b.id)}`)),
  ]);
  return staleChannels.length + staleBridges.length;
}
