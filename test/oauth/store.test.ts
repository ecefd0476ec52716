/**
 * One contract for both stores: the memory store (local development) and the DynamoDB store on
 * DynamoDB Local. Conditional semantics are what single-use codes and refresh rotation rely on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDynamoDbLocal, type DynamoDbLocal } from "../container/support/dynamodb-local.js";
import { createMemoryStore } from "../../handlers/oauth/src/core/store/memory.js";
import { createDynamoDbStore } from "../../handlers/oauth/src/core/store/dynamodb.js";
import { subjectIndex, type OAuthStore } from "../../handlers/oauth/src/core/store/types.js";
import { createOAuthTable } from "./support/table.js";

let ddb: DynamoDbLocal;
beforeAll(async () => {
  ddb = await startDynamoDbLocal();
  await createOAuthTable(ddb.client, "oauth-contract");
});
afterAll(async () => {
  await ddb?.stop();
});

const stores: Array<[string, () => OAuthStore]> = [
  ["memory", () => createMemoryStore()],
  ["DynamoDB Local", () => createDynamoDbStore({ client: ddb.client, tableName: "oauth-contract" })],
];

describe.each(stores)("%s store", (name, make) => {
  const now = 1_800_000_000;
  const pk = (k: string) => `${name.replace(/\s/g, "")}#${k}`;

  it("put ifAbsent refuses an unexpired item and replaces an expired one", async () => {
    const store = make();
    expect(await store.put({ pk: pk("a"), sk: "x", expires_at: now + 10, v: 1 }, { ifAbsent: true, now })).toBe(true);
    expect(await store.put({ pk: pk("a"), sk: "x", expires_at: now + 10, v: 2 }, { ifAbsent: true, now })).toBe(false);
    expect((await store.get(pk("a"), "x", now))?.v).toBe(1);
    // Past expiry the item reads as absent and may be replaced, before TTL deletes it.
    expect(await store.get(pk("a"), "x", now + 10)).toBeUndefined();
    expect(await store.put({ pk: pk("a"), sk: "x", expires_at: now + 100, v: 3 }, { ifAbsent: true, now: now + 10 })).toBe(true);
    expect((await store.get(pk("a"), "x", now + 10))?.v).toBe(3);
  });

  it("update is a compare-and-set: one winner for a single-use value", async () => {
    const store = make();
    await store.put({ pk: pk("code"), sk: "code", expires_at: now + 60, grant_id: "g1" }, { ifAbsent: true, now });
    const results = await Promise.all(
      [1, 2, 3, 4].map((i) => store.update(pk("code"), "code", { used_at: now + i }, { expected: { used_at: null }, now })),
    );
    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    expect(await store.update(pk("missing"), "code", { used_at: now }, { expected: {}, now })).toBeUndefined();
    await store.put(
      { pk: pk("rt"), sk: "grant", expires_at: now + 60, rt: "h1", list: ["a", "b"], nested: { x: true } },
      { ifAbsent: false, now },
    );
    expect(await store.update(pk("rt"), "grant", { rt: "h3" }, { expected: { rt: "h2" }, now })).toBeUndefined();
    const rotated = await store.update(pk("rt"), "grant", { rt: "h2", prev: "h1", list: null }, { expected: { rt: "h1" }, now });
    expect(rotated).toMatchObject({ rt: "h2", prev: "h1", nested: { x: true } });
    expect(rotated?.list).toBeUndefined();
    expect(await store.update(pk("rt"), "grant", { rt: "h9" }, { expected: {}, now: now + 60 })).toBeUndefined();
  });

  it("increment stops at the limit", async () => {
    const store = make();
    const counts = [];
    for (let i = 0; i < 4; i += 1) counts.push(await store.increment(pk("rl"), "global", 3, now + 7200, now));
    expect(counts).toEqual([1, 2, 3, undefined]);
  });

  it("finds a subject's grants and deletes items", async () => {
    const store = make();
    await store.put({ pk: pk("grant#1"), sk: "grant", expires_at: now + 60, ...subjectIndex(`${name}-u1`, "1") }, { ifAbsent: true, now });
    await store.put({ pk: pk("grant#2"), sk: "grant", expires_at: now + 60, ...subjectIndex(`${name}-u1`, "2") }, { ifAbsent: true, now });
    expect((await store.grantsOf(`${name}-u1`)).sort()).toEqual([pk("grant#1"), pk("grant#2")]);
    await store.delete(pk("grant#1"), "grant");
    expect(await store.get(pk("grant#1"), "grant", now)).toBeUndefined();
  });
});
