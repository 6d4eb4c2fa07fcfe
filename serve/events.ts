/** Server-sent events: the channel that pushes hot reloads and errors to open pages. */

/** Open event streams. */
export class EventHub {
  #clients = new Set<ReadableStreamDefaultController<Uint8Array>>();
  #enc = new TextEncoder();
  #beat: ReturnType<typeof setInterval>;

  constructor(private readonly greeting: () => unknown[]) {
    this.#beat = setInterval(() => this.#sendRaw(": ping\n\n"), 15_000);
  }

  /** A new stream; it first receives the greeting messages (current build, errors). */
  response(): Response {
    let ctrl!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start: (c) => {
        ctrl = c;
        this.#clients.add(c);
        c.enqueue(this.#enc.encode("retry: 500\n\n"));
        for (const m of this.greeting()) c.enqueue(this.#frame(m));
      },
      cancel: () => void this.#clients.delete(ctrl),
    });
    return new Response(body, {
      headers: {
        "content-type": "text/event-stream",
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  }

  /** Sends a message to every open page. */
  send(msg: unknown): void {
    const frame = this.#frame(msg);
    for (const c of this.#clients) {
      try {
        c.enqueue(frame);
      } catch {
        this.#clients.delete(c);
      }
    }
  }

  /** Number of open pages. */
  get size(): number {
    return this.#clients.size;
  }

  /** Ends every stream. */
  close(): void {
    clearInterval(this.#beat);
    for (const c of this.#clients) {
      try {
        c.close();
      } catch { /* gone */ }
    }
    this.#clients.clear();
  }

  #frame(msg: unknown): Uint8Array {
    return this.#enc.encode(`data: ${JSON.stringify(msg)}\n\n`);
  }

  #sendRaw(text: string): void {
    const bytes = this.#enc.encode(text);
    for (const c of this.#clients) {
      try {
        c.enqueue(bytes);
      } catch {
        this.#clients.delete(c);
      }
    }
  }
}
