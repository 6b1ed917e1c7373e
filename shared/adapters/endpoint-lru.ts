// What the deployed bundles carry in place of `mnemonist/lru-cache` (an esbuild alias declared in
// infra/stack/bundling.ts). The DynamoDB client builds an endpoint-discovery cache
// (`@aws-sdk/endpoint-cache`) on every cold start, even with discovery off, and that cache is mnemonist's
// LRU with its iterator helpers: about 7 KB of every bundle (2.5 KB gzipped) for a map nothing writes to.
// This is the same cache on a Map, which keeps insertion order: the least recently used key is the first.
// It implements what EndpointCache calls (get, set, has, peek, clear); code run by Node itself keeps
// mnemonist.
export default class LRUCache<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #capacity: number;

  constructor(capacity: number) {
    if (!(capacity > 0)) throw new Error('LRUCache: capacity should be a positive number');
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The value, now the most recently used. */
  get(key: K): V | undefined {
    if (!this.#entries.has(key)) return undefined;
    const value = this.#entries.get(key) as V;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** The value, leaving the order as it is. */
  peek(key: K): V | undefined {
    return this.#entries.get(key);
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  /** Stores the value as the most recently used, evicting the least recently used when full. */
  set(key: K, value: V): this {
    this.#entries.delete(key);
    if (this.#entries.size >= this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, value);
    return this;
  }

  clear(): void {
    this.#entries.clear();
  }
}
