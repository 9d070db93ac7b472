/** Stands in for Node's worker_threads in the page bundle (see electron.vite.config.ts): the page uses Web Workers. */
export const Worker = undefined;
