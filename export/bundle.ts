/**
 * The exporter's browser bundle: one minified ES module holding the lab, the page runtime and
 * everything they import (charts, widgets, `zod/mini`) except the lazy chunks' modules, which it
 * reaches through `loadChunk` stand-ins (`chunks.ts`); no source map, so it can be inlined into
 * one HTML file. esbuild output is deterministic: same input, same bytes.
 */
import * as esbuild from "esbuild";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { denoSpecifiers, labImportSource, trimVega } from "../serve/bundle.ts";
import { ROOT } from "../runtime/catalog.ts";
import { squeezeTemplatesPlugin } from "./templates.ts";
import { buildChunk, LAZY_MODULES, lazyChunksPlugin } from "./chunks.ts";
import { exportBuildOptions } from "./build-options.ts";

/** The boot code: mount the lab over its pre-rendered cells. */
export function entrySource(labPath: string, root: string, source: string): string {
  return `
${labImportSource(labPath, root, source)}
import { mountLab } from ${JSON.stringify(`${root}/runtime/browser.ts`)};
import { preloadChunk } from ${JSON.stringify(`${root}/runtime/chunk.ts`)};
// The page holds the pre-rendered cells: the lab takes them over in place. Students get no dev
// tools (the floating trace button covered content on phones); \`?trace\` in the URL opts in.
const handle = mountLab(def, document.getElementById("syslab-root"), {
  devtools: new URLSearchParams(location.search).has("trace"),
  hydrate: true,
});
// The markdown engine runs in idle time once the page is live, before a slider needs it.
handle.ready.then(() => setTimeout(() => requestIdleCallback(() => preloadChunk("markdown")), 1500));
`;
}

/** Bundles `labUrl` for a single-file export; returns the JavaScript text. */
export async function bundleForExport(labUrl: URL): Promise<string> {
  const root = fileURLToPath(ROOT).replace(/\/$/, "");
  const labPath = fileURLToPath(labUrl);
  const result = await esbuild.build({
    stdin: {
      contents: entrySource(labPath, root, await Deno.readTextFile(labPath)),
      resolveDir: dirname(labPath),
      sourcefile: "syslab-export-entry.js",
      loader: "js",
    },
    ...exportBuildOptions(root),
    format: "esm",
    plugins: [
      lazyChunksPlugin(root),
      squeezeTemplatesPlugin(root, ["cells", "runtime"]),
      trimVega(),
      denoSpecifiers(root),
    ],
  });
  return result.outputFiles[0].text;
}

/** The lazy chunks' script texts by name (see `chunks.ts`). */
export async function bundleChunks(): Promise<Array<[string, string]>> {
  const root = fileURLToPath(ROOT).replace(/\/$/, "");
  return await Promise.all(
    LAZY_MODULES.map(async (m) => [m.name, await buildChunk(m, root)] as [string, string]),
  );
}

/** Stops esbuild's service (call once at the end of a CLI run). */
export async function stopExportBundler(): Promise<void> {
  await esbuild.stop();
}
