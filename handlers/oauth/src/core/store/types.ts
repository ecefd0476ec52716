/**
 * Storage of the authorization server: one table of items keyed by `pk` + `sk`, each with an
 * absolute expiry `expires_at` (epoch seconds; DynamoDB TTL deletes expired items eventually, so
 * every read also compares it). Implementations: DynamoDB (production, DynamoDB Local in tests) and
 * memory (local development); both pass the same contract test.
 *
 * Item kinds and key prefixes: `client#<id>`, `cimd#<sha256(url)>`, `txn#<id>`, `code#<sha256>`,
 * `grant#<id>`, `consent#<sub>`, `rl#dcr#<yyyymmddhh>`.
 */

/** Attribute values: strings, numbers, booleans, lists and maps of those. */
export type AttributeValue = string | number | boolean | readonly AttributeValue[] | { readonly [key: string]: AttributeValue };

/** One stored item. */
export interface StoredItem {
  readonly pk: string;
  readonly sk: string;
  /** Epoch seconds after which the item does not exist. */
  readonly expires_at: number;
  readonly [attribute: string]: AttributeValue;
}

/**
 * Expected attribute values for a conditional write: a value must be equal; `null` means the
 * attribute must be absent. The item must exist and be unexpired in every case.
 */
export type Expectation = Readonly<Record<string, AttributeValue | null>>;

export interface OAuthStore {
  /** The item, or undefined when absent or expired at `now`. */
  get(pk: string, sk: string, now: number): Promise<StoredItem | undefined>;
  /**
   * Writes `item`. With `ifAbsent`, only when no unexpired item has the key.
   * @returns false when `ifAbsent` and an unexpired item exists
   */
  put(item: StoredItem, options: { ifAbsent: boolean; now: number }): Promise<boolean>;
  /**
   * Sets attributes (`null` removes one) when the item exists, is unexpired at `now` and matches
   * `expected`: an atomic compare-and-set (single-use codes, refresh-token rotation).
   * @returns the item after the update, or undefined when the condition failed
   */
  update(
    pk: string,
    sk: string,
    set: Readonly<Record<string, AttributeValue | null>>,
    options: { expected: Expectation; now: number },
  ): Promise<StoredItem | undefined>;
  /** Removes the item (no error when absent). */
  delete(pk: string, sk: string): Promise<void>;
  /**
   * Adds 1 to the counter attribute `count` of a counter item, creating it with `expiresAt`, unless
   * that would exceed `limit`.
   * @returns the new count, or undefined when the limit is reached
   */
  increment(pk: string, sk: string, limit: number, expiresAt: number, now: number): Promise<number | undefined>;
  /** Keys of the grants of `sub` (GSI `by_subject`). */
  grantsOf(sub: string): Promise<string[]>;
}

/** GSI attributes that put a grant in the `by_subject` index. */
export function subjectIndex(sub: string, grantId: string): { gsi1pk: string; gsi1sk: string } {
  return { gsi1pk: `sub#${sub}`, gsi1sk: `grant#${grantId}` };
}

export function matches(item: StoredItem, expected: Expectation): boolean {
  return Object.entries(expected).every(([key, value]) =>
    value === null ? item[key] === undefined : JSON.stringify(item[key]) === JSON.stringify(value),
  );
}
