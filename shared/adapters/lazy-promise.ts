// A set-up step done once per execution environment, on first use. A step that fails is not cached:
// one transient error at cold start (Secrets Manager, KMS, a throttled call) must not turn every later
// request of that environment into a 500, so the next call tries again.

export interface LazyPromise<T> {
  get(): Promise<T>;
  /** Tests and the sandbox, after changing the environment. */
  reset(): void;
}

export function lazyPromise<T>(create: () => Promise<T>): LazyPromise<T> {
  let pending: Promise<T> | undefined;
  return {
    get() {
      if (pending) return pending;
      const attempt = create();
      pending = attempt;
      attempt.catch(() => {
        // Only this attempt is forgotten: a reset may already have started another one.
        if (pending === attempt) pending = undefined;
      });
      return attempt;
    },
    reset() {
      pending = undefined;
    },
  };
}
