import { describe, expect, it } from "vitest";
import { integerAbovePattern, MAX_BODY_BYTES } from "../../src/lib/body-limit.js";
import { loadConfig } from "../../container/src/config.js";

describe("integerAbovePattern", () => {
  it.each([0, 7, 9, 10, 99, 100, 8192, 65536, 1048576, 999999, 6291456])("matches exactly the integers above %i", (limit) => {
    const re = new RegExp(integerAbovePattern(limit));
    const samples = [
      0,
      1,
      limit - 1,
      limit,
      limit + 1,
      limit + 9,
      limit * 10,
      limit * 10 + 1,
      10 ** String(limit).length,
      10 ** String(limit).length - 1,
    ].filter((n) => n >= 0);
    for (let n = Math.max(0, limit - 300); n <= limit + 300; n++) samples.push(n);
    for (const n of samples) expect(re.test(String(n)), `${n} vs ${limit}`).toBe(n > limit);
    expect(re.test(`000${limit + 1}`)).toBe(true);
    expect(re.test(`000${limit}`)).toBe(false);
    for (const bad of ["", "-1", "1e9", " 99999999", "12a"]) expect(re.test(bad), bad).toBe(false);
  });

  it("refuses a limit that is not a non-negative integer", () => {
    expect(() => integerAbovePattern(-1)).toThrow(RangeError);
    expect(() => integerAbovePattern(1.5)).toThrow(RangeError);
  });
});

describe("MAX_BODY_BYTES", () => {
  it("is the body limit the function's configuration applies by default", () => {
    expect(MAX_BODY_BYTES).toBe(1024 * 1024);
    const config = loadConfig({});
    expect(config.maxBodyBytes).toBe(MAX_BODY_BYTES);
  });
});
