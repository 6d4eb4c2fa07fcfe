/**
 * Two dev servers (two processes, two labs) share one ledger file: no acknowledged write is lost
 * (issue 17: before the cross-process lock, 168 of 400 concurrent PUTs were lost).
 */
import assert from "node:assert/strict";

const HELPER = new URL("./dev-server-proc.ts", import.meta.url).pathname;
const LABS = ["../fixtures/labs/browser-mini.ts", "../fixtures/labs/good.ts"].map((p) =>
  new URL(p, import.meta.url).pathname
);

/** Starts a dev server process; resolves with its URL and a stop function. */
export async function devServerProcess(lab: string, ledgerPath: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", HELPER, lab, ledgerPath],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!out.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the dev server for ${lab} exited: ${out}`);
    out += value;
  }
  reader.releaseLock();
  return {
    url: out.trim(),
    async stop() {
      await child.stdin.close();
      await child.status;
      await child.stdout.cancel().catch(() => {});
    },
  };
}

Deno.test("two dev servers, 400 concurrent PUTs across them: every acknowledged write kept", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/ledger.json`;
  const servers = await Promise.all(LABS.map((lab) => devServerProcess(lab, path)));
  try {
    const N = 400;
    const statuses = await Promise.all(Array.from({ length: N }, async (_, i) => {
      const r = await fetch(`${servers[i % 2].url}__syslab/ledger/lab-${i}`, {
        method: "PUT",
        body: JSON.stringify({
          savedAt: "2026-01-01T10:00:00.000Z",
          context: "cloud",
          predictions: { n: i },
          decisions: {},
        }),
      });
      await r.body?.cancel();
      return r.status;
    }));
    assert.deepEqual(statuses.filter((s) => s !== 200), [], "every PUT acknowledged");
    const doc = JSON.parse(await Deno.readTextFile(path));
    const lost = Array.from({ length: N }, (_, i) => i).filter((i) =>
      doc.labs[`lab-${i}`]?.predictions?.n !== i
    );
    assert.equal(lost.length, 0, `lost ${lost.length} of ${N} acknowledged writes`);
    const left = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.includes(".tmp-"));
    assert.deepEqual(left, [], "no temp files left behind");
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await Deno.remove(dir, { recursive: true });
  }
});
