/** The dev server's HTML page: inline styles, module preloads and the boot script. */
import { escapeHTML } from "../runtime/render.ts";
import type { Build } from "./bundle.ts";
import { SERVER_PATH } from "../cells/ledger/store.ts";

/** What the page needs to boot a build. */
export interface PageInput {
  labId: string;
  title: string;
  build: Build;
  /** Signature of the build's shared chunks (equal ⇒ a hot reload is possible). */
  sig: string;
  /** Stylesheet from cells/style.ts ("" when absent). */
  css: string;
}

/** The page for one build of a lab. */
export function pageHTML(p: PageInput): string {
  const b = (name: string) => `/__syslab/b/${name}`;
  const preload = [...p.build.files.keys()].filter((n) => n.endsWith(".js")).map((n) =>
    `<link rel="modulepreload" href="${b(n)}">`
  ).join("\n");
  const boot = {
    deps: b(p.build.deps),
    lab: b(p.build.lab),
    labId: p.labId,
    build: p.build.id,
    sig: p.sig,
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="syslab-ledger-server" content="${SERVER_PATH}">
<title>${escapeHTML(p.title)}</title>
<style>${PAGE_CSS}</style>
<style id="syslab-cells-css">${p.css.replace(/<\/style/gi, "<\\/style")}</style>
${preload}
</head>
<body>
<main id="syslab-root" class="syslab-lab" aria-label="${escapeHTML(p.title)}"></main>
<script type="module">
const boot = ${JSON.stringify(boot).replace(/</g, "\\u003c")};
try {
  const deps = await import(boot.deps);
  const { def } = await import(boot.lab);
  performance.mark("syslab:modules");
  const handle = deps.mountLab(def, document.getElementById("syslab-root"), {
    restore: deps.takeSavedInputs(boot.labId),
  });
  performance.mark("syslab:mounted");
  handle.ready.then(() => performance.mark("syslab:ready"));
  deps.connectDevServer(handle, boot);
} catch (e) {
  const box = document.createElement("pre");
  box.className = "syslab-boot-error";
  box.setAttribute("role", "alert");
  box.textContent = "The lab could not start:\\n" + (e && e.stack || e);
  document.body.prepend(box);
  new EventSource("/__syslab/events").onmessage = (ev) => {
    const m = JSON.parse(ev.data);
    if (m.type === "reload" && m.build !== boot.build) location.reload();
  };
}
</script>
</body>
</html>
`;
}

export const PAGE_CSS = `
:root { color-scheme: light dark; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
.syslab-lab { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1rem 4rem; }
.syslab-boot-error { margin: 1rem; padding: 1rem; white-space: pre-wrap; color: #5f1212;
  background: #fdecea; border-left: 4px solid #c62828; }
`;
