/**
 * `deno task lab <id> [--port N] [--no-open]`: the dev server for one lab (see `serve/`).
 */
import { LabError } from "./runtime/errors.ts";
import { resolveLab } from "./runtime/catalog.ts";
import { startDevServer } from "./serve/server.ts";
import { stopBundler } from "./serve/bundle.ts";

export { type DevServer, type DevServerOptions, startDevServer } from "./serve/server.ts";

/** Serves a lab until Ctrl-C; returns the exit code (1 for an unknown id or a broken lab). */
export async function serveLab(
  id: string,
  opts: { port?: number; open?: boolean } = {},
): Promise<number> {
  let labUrl: URL;
  try {
    labUrl = resolveLab(id);
    await Deno.stat(labUrl);
  } catch (e) {
    console.error(
      e instanceof LabError ? e.describe() : `no lab file at ${id}: ${(e as Error).message}`,
    );
    return 1;
  }
  let server;
  try {
    server = await startDevServer(labUrl, { port: opts.port });
  } catch (e) {
    console.error((e as Error).message);
    await stopBundler();
    return 1;
  }
  console.log(`syslab: ${server.labId} at ${server.url}  (Ctrl-C to stop)`);
  if (opts.open !== false) openBrowser(server.url);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    Deno.addSignalListener("SIGINT", stop);
    if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
  });
  await server.close();
  await stopBundler();
  return 0;
}

/** Opens `url` in the desktop browser when there is one; failure is ignored. */
function openBrowser(url: string): void {
  const cmd = Deno.build.os === "darwin"
    ? "open"
    : Deno.build.os === "windows"
    ? "explorer"
    : "xdg-open";
  try {
    const child = new Deno.Command(cmd, {
      args: [url],
      stdout: "null",
      stderr: "null",
      stdin: "null",
    })
      .spawn();
    child.status.catch(() => {});
    child.unref();
  } catch { /* no browser here */ }
}
