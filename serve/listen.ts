/**
 * The dev server's socket, with a header-read timeout, which `Deno.serve` does not have (a client
 * sending a request line and then nothing held its connection open for good). 127.0.0.1:port is
 * a small relay: each connection must send its request's headers (≤ 32 KB) within the timeout,
 * else it gets 408 and is closed; the headers get `Connection: close` (one request per
 * connection, so every request passes this check) and the connection is then piped to
 * `Deno.serve` on a Unix socket in a private temporary folder (0700).
 */

const HOST = "127.0.0.1";
const MAX_HEADER = 32 * 1024;
const END = new TextEncoder().encode("\r\n\r\n");

/** A listening server. */
export interface Listening {
  port: number;
  /** Stops accepting, closes open connections and the HTTP server. */
  close(): Promise<void>;
}

/** Binds 127.0.0.1 at `port` or the next free port above it (0: any) and serves `handler`. */
export async function listen(
  port: number,
  handler: (req: Request) => Promise<Response>,
  opts: { headerTimeoutMs?: number } = {},
): Promise<Listening> {
  const listener = bind(port);
  const dir = await Deno.makeTempDir({ prefix: "syslab-http-" });
  const path = `${dir}/http.sock`;
  const ac = new AbortController();
  const server = Deno.serve({ path, signal: ac.signal, onListen() {} }, handler);
  const open = new Set<Deno.Conn>();
  const timeout = opts.headerTimeoutMs ?? 10_000;
  const accepting = (async () => {
    for await (const conn of listener) {
      open.add(conn);
      relay(conn, path, timeout).finally(() => {
        open.delete(conn);
        closeQuietly(conn);
      });
    }
  })().catch(() => {}); // the listener was closed
  return {
    port: (listener.addr as Deno.NetAddr).port,
    async close() {
      listener.close();
      await accepting;
      for (const c of open) closeQuietly(c);
      ac.abort();
      await server.finished;
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

function bind(port: number): Deno.Listener {
  for (let p = port, tries = 0; tries < 50; p++, tries++) {
    try {
      return Deno.listen({ hostname: HOST, port: p });
    } catch (e) {
      if (!(e instanceof Deno.errors.AddrInUse) || port === 0) throw e;
    }
  }
  throw new Error(`no free port from ${port} to ${port + 49}`);
}

/** One connection: its headers within `timeout` ms, then piped to the HTTP server. */
async function relay(conn: Deno.Conn, path: string, timeout: number): Promise<void> {
  const timer = setTimeout(() => void answer(conn, 408, "Request Timeout"), timeout);
  let head: Uint8Array | null;
  try {
    head = await readHead(conn);
  } catch {
    return;
  } finally {
    clearTimeout(timer);
  }
  if (!head) return;
  const end = indexOf(head, END);
  if (end < 0) return void await answer(conn, 431, "Request Header Fields Too Large");
  const headers = new TextDecoder().decode(head.subarray(0, end)).split("\r\n")
    .filter((l, i) => i === 0 || !/^connection\s*:/i.test(l));
  headers.push("Connection: close");
  let up: Deno.Conn;
  try {
    up = await Deno.connect({ transport: "unix", path });
  } catch {
    return void await answer(conn, 503, "Service Unavailable");
  }
  try {
    await writeAll(up, new TextEncoder().encode(headers.join("\r\n")));
    await writeAll(up, head.subarray(end));
    conn.readable.pipeTo(up.writable).catch(() => {}); // ends when either side closes
    // The reply is over when the server closes (Connection: close); then both sides are closed.
    await up.readable.pipeTo(conn.writable, { preventClose: true }).catch(() => {});
  } finally {
    closeQuietly(up);
  }
}

/** Reads until the end of the headers (included) or past `MAX_HEADER`; null on EOF before. */
async function readHead(conn: Deno.Conn): Promise<Uint8Array | null> {
  let buf = new Uint8Array(0);
  const chunk = new Uint8Array(8192);
  while (indexOf(buf, END) < 0 && buf.length <= MAX_HEADER) {
    const n = await conn.read(chunk);
    if (n === null) return null;
    const next = new Uint8Array(buf.length + n);
    next.set(buf);
    next.set(chunk.subarray(0, n), buf.length);
    buf = next;
  }
  return buf;
}

async function answer(conn: Deno.Conn, status: number, reason: string): Promise<void> {
  const body = `${reason}\n`;
  const text = `HTTP/1.1 ${status} ${reason}\r\ncontent-type: text/plain; charset=utf-8\r\n` +
    `content-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`;
  await writeAll(conn, new TextEncoder().encode(text)).catch(() => {});
  closeQuietly(conn);
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let o = 0; o < bytes.length;) o += await conn.write(bytes.subarray(o));
}

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function closeQuietly(c: Deno.Conn): void {
  try {
    c.close();
  } catch { /* already closed */ }
}
