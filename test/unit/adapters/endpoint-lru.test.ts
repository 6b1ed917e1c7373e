// The bundles' stand-in for mnemonist's LRU (shared/adapters/endpoint-lru.ts) behaves as mnemonist's does
// for everything the SDK's endpoint cache calls, and the SDK's EndpointCache works on it.
import { createRequire } from 'node:module';
import { EndpointCache } from '@aws-sdk/endpoint-cache';
import { describe, expect, it } from 'vitest';
import LRUCache from '#adapters/endpoint-lru';

// mnemonist is CommonJS whose typings declare a default export: required, it is the class itself.
const MnemonistLru = createRequire(import.meta.url)(
  'mnemonist/lru-cache',
) as typeof import('mnemonist/lru-cache.js').default;

describe('the endpoint cache LRU', () => {
  it('evicts the least recently used key when full; get refreshes a key, peek does not', () => {
    const cache = new LRUCache<string, number>(2);
    cache.set('a', 1).set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('c', 3); // evicts b
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([true, false, true]);
    expect(cache.peek('a')).toBe(1); // does not refresh a
    cache.set('d', 4); // evicts a, the least recently used
    expect([cache.has('a'), cache.has('c'), cache.has('d')]).toEqual([false, true, true]);
    cache.set('c', 30); // an update refreshes c
    cache.set('e', 5); // evicts d
    expect([cache.peek('c'), cache.has('d'), cache.size]).toEqual([30, false, 2]);
    cache.clear();
    expect([cache.size, cache.get('c')]).toEqual([0, undefined]);
  });

  it("answers as mnemonist's LRU over a long random run of the calls the SDK makes", () => {
    const ours = new LRUCache<number, number>(8);
    const theirs = new MnemonistLru<number, number>(8);
    let seed = 42;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed;
    };
    for (let step = 0; step < 5_000; step += 1) {
      const key = next() % 20;
      switch (next() % 5) {
        case 0:
        case 1:
          ours.set(key, step);
          theirs.set(key, step);
          break;
        case 2:
          expect(ours.get(key)).toBe(theirs.get(key));
          break;
        case 3:
          expect(ours.peek(key)).toBe(theirs.peek(key));
          break;
        default:
          expect(ours.has(key)).toBe(theirs.has(key));
      }
      expect(ours.size).toBe(theirs.size);
    }
  });

  it('refuses a capacity that is not positive, as mnemonist does', () => {
    expect(() => new LRUCache(0)).toThrow(/capacity/);
  });

  it("holds the SDK's endpoint cache", () => {
    // EndpointCache builds mnemonist's LRU itself: check the calls it makes against ours by swapping it in.
    const endpoints = new EndpointCache(2);
    Object.assign(endpoints, { cache: new LRUCache(2) });
    endpoints.set('k', [{ Address: 'dynamodb.example', CachePeriodInMinutes: 1 }]);
    expect(endpoints.getEndpoint('k')).toBe('dynamodb.example');
    endpoints.delete('k');
    expect(endpoints.has('k')).toBe(false);
  });
});
