/**
 * `deno task export --all`: every lab as a single file plus an `index.html` of catalog cards
 * (title, volume, time, topics), ready for any static host or CDN.
 */
import { escapeHTML } from "../runtime/render.ts";
import type { LabMeta } from "../runtime/lab.ts";
import { PAGE_CSS } from "../serve/page.ts";
import { cellsCSS } from "../cells/style.ts";

/** The site's index page: one card per lab, linking to `<id>.html`. */
export function siteIndex(labs: readonly LabMeta[]): string {
  const rank = (m: LabMeta) => m.volume === "I" ? 0 : m.volume === "II" ? 1 : 2;
  const sorted = [...labs].sort((a, b) =>
    rank(a) - rank(b) || a.id.localeCompare(b.id, "en", { numeric: true })
  );
  const cards = sorted.map((m) => {
    const facts = [
      m.volume === "tutorial" ? "Tutorial" : m.volume ? `Volume ${m.volume}` : "",
      m.minutes ? `${m.minutes} min` : "",
    ].filter(Boolean).join(" · ");
    const topics = (m.topics ?? []).map((t) => `<li>${escapeHTML(t)}</li>`).join("");
    return `<li class="syslab-card"><a href="${encodeURIComponent(m.id)}.html"><strong>${
      escapeHTML(m.title)
    }</strong></a><p class="syslab-card-id">${escapeHTML(m.id)}${
      facts ? ` · ${escapeHTML(facts)}` : ""
    }</p>${m.subtitle ? `<p>${escapeHTML(m.subtitle)}</p>` : ""}${
      topics ? `<ul class="syslab-topics">${topics}</ul>` : ""
    }</li>`;
  }).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>syslab · labs</title>
<style>${PAGE_CSS}
${cellsCSS}
.syslab-cards { list-style: none; padding: 0; display: grid; gap: 1rem;
  grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); }
.syslab-card { border: 1px solid var(--syslab-border, #e2e8f0); border-radius: 12px; padding: 1rem; }
.syslab-card-id { font-size: 0.85rem; opacity: 0.75; margin: 0.25rem 0; }
.syslab-topics { display: flex; flex-wrap: wrap; gap: 0.35rem; padding: 0; list-style: none; }
.syslab-topics li { font-size: 0.75rem; border: 1px solid currentColor; border-radius: 99px;
  padding: 0 0.5rem; opacity: 0.8; }
</style>
</head>
<body>
<main class="syslab-lab">
<h1>Interactive ML-systems labs</h1>
<p>Each lab is one HTML file that runs offline: open it, move the sliders, make your predictions.</p>
<ul class="syslab-cards">
${cards}
</ul>
</main>
</body>
</html>
`;
}

/** A one-line terminal progress bar: `[#######·······] 3/7 v2-10`. */
export function progressBar(done: number, total: number, label: string, width = 24): string {
  const filled = total ? Math.round((done / total) * width) : width;
  return `[${"#".repeat(filled)}${"·".repeat(width - filled)}] ${done}/${total} ${label}`;
}
