/**
 * Bodies of fully buffered Responses, so the Lambda adapter does not read a body again that is
 * already in memory (`bufferResponse` in stages/mcp.ts records them). No dependencies: the router
 * imports the adapter, and must not load the MCP SDK.
 */

/** The bytes of each Response made by `bufferResponse`, so an adapter need not read its body again. */
const bufferedBodies = new WeakMap<Response, Uint8Array>();

/**
 * The body of `response` when `bufferResponse` made it (and nobody read it since), else
 * undefined. Lets the Lambda adapter skip a second read of a body already in memory.
 */
export function bufferedBody(response: Response): Uint8Array | undefined {
  return response.bodyUsed ? undefined : bufferedBodies.get(response);
}

/** Records `body` as the body of `response` (which must not have been read). */
export function rememberBufferedBody(response: Response, body: Uint8Array): void {
  bufferedBodies.set(response, body);
}
