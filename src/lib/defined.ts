/**
 * Config objects for generated provider bindings (`@cdktf/provider-aws`) declare optional
 * properties without `| undefined`; under `exactOptionalPropertyTypes` an optional value that is
 * `undefined` must be left out instead. The bindings copy each property as is, so an absent key
 * and an `undefined` one synthesize the same Terraform.
 */

/** `T` with every property whose type includes `undefined` made optional and `undefined`-free. */
export type Defined<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/**
 * A shallow copy of `config` without the properties whose value is `undefined`.
 * @param config a plain object literal (own enumerable properties only are copied)
 * @returns the same values by reference, keys in the same order
 */
export function defined<T extends object>(config: T): Defined<T> {
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined)) as Defined<T>;
}
