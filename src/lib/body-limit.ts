/**
 * The largest MCP request body the function reads, and how the edge enforces the same value.
 *
 * One value: the contract's default of `MCP_MAX_BODY_BYTES` (container/src/contract), which
 * `mcp_server` sets on the function and `mcp_waf` enforces at CloudFront, so WAF never refuses a
 * body the function would accept.
 */
import { ENV } from "../../container/src/contract/index.js";

/** Largest request body the MCP function reads, bytes (the function answers 413 above it). */
export const MAX_BODY_BYTES: number = ENV.MCP_MAX_BODY_BYTES.default;

/**
 * An RE2 pattern (whole string) matching the decimal integers greater than `limit`, leading
 * zeros allowed: WAF has no numeric comparison for header values, so a `Content-Length` over the
 * limit is recognised by its digits.
 * @param limit a non-negative safe integer
 * @throws RangeError for a negative or non-integer limit
 */
export function integerAbovePattern(limit: number): string {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  const digits = String(limit);
  const k = digits.length;
  // More digits than the limit (first digit non-zero).
  const branches = [`[1-9][0-9]{${k},}`];
  // Same length: equal up to position i, larger digit at i, anything after.
  for (let i = 0; i < k; i++) {
    const d = Number(digits[i]);
    if (d === 9) continue;
    const rest = k - i - 1;
    const next = d + 1 === 9 ? "9" : `[${d + 1}-9]`;
    branches.push(`${digits.slice(0, i)}${next}${rest > 0 ? `[0-9]{${rest}}` : ""}`);
  }
  return `^0*(${branches.join("|")})$`;
}
