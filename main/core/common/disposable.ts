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
