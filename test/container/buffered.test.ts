/**
 * BufferedResponse: a Response whose body bytes are in memory and whose body stream is built only
 * when read. It must behave as `new Response(bytes, init)` to every standard reader.
 */
import { describe, expect, it } from "vitest";
import { bufferedBody, createBufferedResponse } from "../../container/src/core/buffered.js";
import { bufferResponse } from "../../container/src/core/stages/mcp.js";

const bytes = (text: string) => new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>;
const make = (text = '{"a":1}') =>
  createBufferedResponse(bytes(text), { status: 201, statusText: "Created", headers: { "content-type": "application/json" } });

describe("BufferedResponse", () => {
  it("is a Response with the given status, status text and headers", () => {
    const response = make();
    expect(response).toBeInstanceOf(Response);
    expect([response.status, response.statusText, response.ok, response.headers.get("content-type")]).toEqual([
      201,
      "Created",
      true,
      "application/json",
    ]);
  });

  it.each([
    ["text", async (r: Response) => r.text(), '{"a":1}'],
    ["json", async (r: Response) => r.json(), { a: 1 }],
    ["arrayBuffer", async (r: Response) => new TextDecoder().decode(await r.arrayBuffer()), '{"a":1}'],
    ["bytes", async (r: Response) => new TextDecoder().decode(await r.bytes()), '{"a":1}'],
    ["blob", async (r: Response) => (await r.blob()).text(), '{"a":1}'],
    ["body stream", async (r: Response) => new Response(r.body).text(), '{"a":1}'],
  ] as const)("reads the body with %s once, then reports it used", async (_name, read, expected) => {
    const response = make();
    expect(response.bodyUsed).toBe(false);
    expect(await read(response)).toEqual(expected);
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError);
  });

  it("hands its bytes to the adapter only while nobody has read the body", async () => {
    const response = make("hello");
    expect(new TextDecoder().decode(bufferedBody(response))).toBe("hello");
    expect(response.bodyUsed).toBe(false);
    await response.text();
    expect(bufferedBody(response)).toBeUndefined();
    expect(bufferedBody(new Response("plain"))).toBeUndefined();
  });

  it("clones like a Response: an independent body, refused once the body was read", async () => {
    const response = make("twice");
    const copy = response.clone();
    expect(await copy.text()).toBe("twice");
    expect(await response.text()).toBe("twice");
    expect(() => response.clone()).toThrow(TypeError);
  });

  it("has mutable headers (stages add Mcp-Session-Id in place), and refuses a null-body status", async () => {
    const response = make();
    response.headers.set("mcp-session-id", "s1");
    expect(await response.json()).toEqual({ a: 1 });
    expect(response.headers.get("mcp-session-id")).toBe("s1");
    expect(() => createBufferedResponse(bytes("x"), { status: 204 })).toThrow(/204/);
  });

  it("is what bufferResponse makes of a streamed SSE answer, without hop-by-hop headers", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes("event: message\n"));
        controller.enqueue(bytes('data: {"jsonrpc":"2.0","id":1,"result":{}}\n\n'));
        controller.close();
      },
    });
    const buffered = await bufferResponse(
      new Response(stream, { headers: { "content-type": "text/event-stream", connection: "keep-alive" } }),
    );
    expect(bufferedBody(buffered)).toBeDefined();
    expect(buffered.headers.get("connection")).toBeNull();
    expect(await buffered.text()).toBe('event: message\ndata: {"jsonrpc":"2.0","id":1,"result":{}}\n\n');
    // A bodiless answer (202) is returned as it is.
    const accepted = new Response(null, { status: 202 });
    expect(await bufferResponse(accepted)).toBe(accepted);
  });
});
