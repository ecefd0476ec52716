/**
 * In-memory {@link OAuthStore} with the same conditional semantics as the DynamoDB store. For local
 * development and tests only: state is per process and lost on restart.
 */
import { matches, type AttributeValue, type OAuthStore, type StoredItem } from "./types.js";

export function createMemoryStore(): OAuthStore {
  const items = new Map<string, StoredItem>();
  const key = (pk: string, sk: string) => `${pk}\u0000${sk}`;
  const live = (pk: string, sk: string, now: number) => {
    const item = items.get(key(pk, sk));
    return item !== undefined && item.expires_at > now ? item : undefined;
  };
  const copy = <T>(value: T): T => structuredClone(value);
  return {
    async get(pk, sk, now) {
      const item = live(pk, sk, now);
      return item === undefined ? undefined : copy(item);
    },
    async put(item, { ifAbsent, now }) {
      if (ifAbsent && live(item.pk, item.sk, now) !== undefined) return false;
      items.set(key(item.pk, item.sk), copy(item));
      return true;
    },
    async update(pk, sk, set, { expected, now }) {
      const item = live(pk, sk, now);
      if (item === undefined || !matches(item, expected)) return undefined;
      const next: Record<string, AttributeValue> = { ...item };
      for (const [name, value] of Object.entries(set)) {
        if (value === null) delete next[name];
        else next[name] = copy(value);
      }
      items.set(key(pk, sk), next as StoredItem);
      return copy(next as StoredItem);
    },
    async delete(pk, sk) {
      items.delete(key(pk, sk));
    },
    async increment(pk, sk, limit, expiresAt, now) {
      const item = live(pk, sk, now);
      const count = typeof item?.count === "number" ? item.count : 0;
      if (count >= limit) return undefined;
      items.set(key(pk, sk), { pk, sk, expires_at: item?.expires_at ?? expiresAt, count: count + 1 });
      return count + 1;
    },
    async grantsOf(sub) {
      return [...items.values()].filter((item) => item.gsi1pk === `sub#${sub}`).map((item) => item.pk);
    },
  };
}
