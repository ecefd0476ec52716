/**
 * Fully buffered Responses whose body stream is built only if somebody asks for it. No
 * dependencies: the router imports the adapter, and must not load the MCP SDK.
 *
 * Why: in Node's fetch implementation (undici) every `new Response(body)` builds a web
 * `ReadableStream` for the body, about 13 us on the 2-core build machine (Node 20), which is 5-8%
 * of a warm `tools/call`. The Lambda adapter never reads that stream: it takes the bytes
 * ({@link bufferedBody}). The local server and tests read the body through the standard API, which
 * builds the stream then. `@hono/node-server` defers its Responses the same way.
 *
 * The class is defined on first use, not at import: the global `Response` is a lazy getter that
 * loads Node's fetch implementation (about 10 ms), which a cold start should pay only when the
 * first request needs it.
 */

/**
 * A `Response` whose body is a byte array already in memory (`bufferResponse` in stages/mcp.ts
 * makes them). `status`, `statusText` and `headers` are the real ones (of the underlying
 * `Response`, constructed with a null body); the body members (`body`, `bodyUsed`,
 * `arrayBuffer()`, `bytes()`, `text()`, `json()`, `blob()`, `formData()`) and `clone()` behave as
 * on a Response built with `new Response(bytes, init)`, which is made on first use, with the
 * headers as they are then. `instanceof Response` holds.
 */
export interface BufferedResponse extends Response {
  /** The body bytes while nobody has read the body (the adapter's fast path), else undefined. */
  readonly unreadBytes: Uint8Array<ArrayBuffer> | undefined;
}

/** The {@link BufferedResponse} constructor (the class is defined on first use, see the file header). */
export interface BufferedResponseConstructor {
  /**
   * @param bytes the whole body (not copied: the caller must not change it afterwards)
   * @param init status, status text and headers, as for `new Response`
   * @throws TypeError as `new Response` does for an invalid status, or a status that cannot have a
   *   body (101, 103, 204, 205, 304)
   */
  new (bytes: Uint8Array<ArrayBuffer>, init?: ResponseInit): BufferedResponse;
}

let bufferedResponseClass: BufferedResponseConstructor | undefined;

/** Makes a {@link BufferedResponse}; arguments and errors as {@link BufferedResponseConstructor}. */
export function createBufferedResponse(bytes: Uint8Array<ArrayBuffer>, init?: ResponseInit): BufferedResponse {
  bufferedResponseClass ??= defineBufferedResponse();
  return new bufferedResponseClass(bytes, init);
}

function defineBufferedResponse(): BufferedResponseConstructor {
  return class BufferedResponseImpl extends Response implements BufferedResponse {
    readonly #bytes: Uint8Array<ArrayBuffer>;
    #materialized: Response | undefined;

    constructor(bytes: Uint8Array<ArrayBuffer>, init?: ResponseInit) {
      super(null, init);
      if ([101, 103, 204, 205, 304].includes(this.status))
        throw new TypeError(`Response with null body status ${this.status} cannot have a body`);
      this.#bytes = bytes;
    }

    get unreadBytes(): Uint8Array<ArrayBuffer> | undefined {
      return this.#materialized === undefined ? this.#bytes : undefined;
    }

    #response(): Response {
      this.#materialized ??= new Response(this.#bytes, { status: this.status, statusText: this.statusText, headers: this.headers });
      return this.#materialized;
    }

    override get body(): ReadableStream<Uint8Array<ArrayBuffer>> {
      return this.#response().body!;
    }
    override get bodyUsed(): boolean {
      return this.#materialized?.bodyUsed ?? false;
    }
    override arrayBuffer(): Promise<ArrayBuffer> {
      return this.#response().arrayBuffer();
    }
    override bytes(): Promise<Uint8Array<ArrayBuffer>> {
      return this.#response().bytes();
    }
    override text(): Promise<string> {
      return this.#response().text();
    }
    override json(): Promise<unknown> {
      return this.#response().json();
    }
    override blob(): Promise<Blob> {
      return this.#response().blob();
    }
    override formData(): Promise<FormData> {
      return this.#response().formData();
    }
    /** @throws TypeError when the body was already read (as `Response.clone`) */
    override clone(): Response {
      if (this.bodyUsed) throw new TypeError("Response.clone: Body has already been consumed.");
      return new BufferedResponseImpl(this.#bytes, { status: this.status, statusText: this.statusText, headers: this.headers });
    }
  };
}

/**
 * The body of `response` when it is a {@link BufferedResponse} whose body nobody has read, else
 * undefined. Lets the Lambda adapter skip reading a body that is already in memory.
 */
export function bufferedBody(response: Response): Uint8Array | undefined {
  return bufferedResponseClass !== undefined && response instanceof bufferedResponseClass ? response.unreadBytes : undefined;
}
