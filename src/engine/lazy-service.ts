/**
 * A service whose module is imported on its first call. Commands that never
 * touch a service (most of them, for `build` or `save`) then never load its
 * code, which keeps mydock's start-up close to node's own.
 *
 * Only for services whose every method returns a promise: each call awaits
 * the module, then forwards. Properties other than methods are not supported.
 */
type AsyncMethods<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => Promise<R> : never;
};

export function lazyService<T extends object>(load: () => Promise<T>): AsyncMethods<T> {
  let instance: Promise<T> | undefined;
  const get = () => (instance ??= load());
  return new Proxy({} as AsyncMethods<T>, {
    get(_target, prop) {
      if (prop === 'then') return undefined; // not a thenable: `await engine.builds` must not call load
      return async (...args: unknown[]) => {
        const svc = await get();
        const method = (svc as Record<PropertyKey, unknown>)[prop];
        if (typeof method !== 'function') throw new TypeError(`${String(prop)} is not a method of the service`);
        return (method as (...a: unknown[]) => unknown).apply(svc, args);
      };
    },
  });
}
