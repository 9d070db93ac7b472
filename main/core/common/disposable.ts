/** Something that holds a resource (socket, timer, file, port) and can release it. */
export interface Disposable {
  dispose(): void;
}

/** Wraps a release function so it runs at most once. */
export function toDisposable(release: () => void): Disposable {
  let done = false;
  return {
    dispose(): void {
      if (done) return;
      done = true;
      release();
    },
  };
}

/**
 * Holds disposables and releases them in reverse order of registration, like a stack of
 * `finally` blocks; anything added after disposal is released at once so nothing leaks.
 */
export class DisposableStore implements Disposable {
  private readonly items: Disposable[] = [];
  private disposed = false;

  get isDisposed(): boolean {
    return this.disposed;
  }

  add<T extends Disposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.push(item);
    return item;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    while (this.items.length > 0) {
      try {
        this.items.pop()?.dispose();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'some resources failed to release');
  }
}

/** A timer that is a disposable, so it cannot outlive its owner. */
export function disposableInterval(fn: () => void, ms: number): Disposable {
  const handle = setInterval(fn, ms);
  return toDisposable(() => clearInterval(handle));
}

/** A one-shot timer that is a disposable. */
export function disposableTimeout(fn: () => void, ms: number): Disposable {
  const handle = setTimeout(fn, ms);
  return toDisposable(() => clearTimeout(handle));
}
