/**
 * `deno task export --all`: the site's `index.html` of catalog cards (title, volume, time, topics,
 * and the visitor's own predictions from the design ledger), ready for any static host or CDN.
 * The lab pages and the files they share are built by `site-build.ts`.
 */
import { escapeHTML } from "../runtime/render.ts";
import type { LabMeta } from "../runtime/lab.ts";
import { PAGE_CSS } from "../serve/page.ts";
import { cellsCSS } from "../cells/style.ts";
import { STORAGE_KEY } from "../cells/ledger/store.ts";
import { scriptHash } from "./single-file.ts";

/** The groups of the index, in order: the course's two volumes, then the tutorials. */
const GROUPS: ReadonlyArray<[string, (m: LabMeta) => boolean]> = [
  ["Volume I", (m) => m.volume === "I"],
  ["Volume II", (m) => m.volume === "II"],
  ["Tutorials", (m) => m.volume === "tutorial"],
  ["More labs", (m) => m.volume !== "I" && m.volume !== "II" && m.volume !== "tutorial"],
];

/** One catalog card; the whole card is the link. */
function card(m: LabMeta): string {
  const facts = [
    m.volume === "tutorial" ? "Tutorial" : m.volume ? `Volume ${m.volume}` : "",
    m.minutes ? `${m.minutes} min` : "",
  ].filter(Boolean).join(" · ");
  const topics = (m.topics ?? []).map((t) => `<li>${escapeHTML(t)}</li>`).join("");
  return `<li class="syslab-card" data-lab="${escapeHTML(m.id)}"><h3><a href="${
    encodeURIComponent(m.id)
  }.html">${escapeHTML(m.title)}</a></h3><p class="syslab-card-id">${escapeHTML(m.id)}${
    facts ? ` · ${escapeHTML(facts)}` : ""
  }</p>${m.subtitle ? `<p class="syslab-card-text">${escapeHTML(m.subtitle)}</p>` : ""}${
    topics ? `<ul class="syslab-topics" aria-label="Topics">${topics}</ul>` : ""
  }</li>`;
}

/** The index's own styles, on the labs' tokens (light and dark follow the system). */
const INDEX_CSS = `
.syslab-group { margin: 2rem 0 0.75rem; font-size: 1.1rem; color: var(--syslab-text-sec); }
.syslab-cards { list-style: none; padding: 0; margin: 0; display: grid; gap: 1rem;
  grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); }
.syslab-card { position: relative; background: var(--syslab-surface);
  border: 1px solid var(--syslab-border); border-top: 3px solid var(--syslab-crimson);
  border-radius: var(--syslab-radius-md); padding: 1rem 1.1rem; }
.syslab-card:hover { border-color: var(--syslab-primary); }
.syslab-card:focus-within { outline: 2px solid var(--syslab-focus); outline-offset: 2px; }
.syslab-card h3 { margin: 0; font-size: 1.05rem; }
.syslab-card a { color: var(--syslab-text); text-decoration: none; }
.syslab-card a::after { content: ""; position: absolute; inset: 0; }
.syslab-card a:focus-visible { outline: none; }
.syslab-card-id { font-size: 0.85rem; color: var(--syslab-text-sec); margin: 0.25rem 0; }
.syslab-card-text { margin: 0.5rem 0; }
.syslab-topics { display: flex; flex-wrap: wrap; gap: 0.35rem; padding: 0; margin: 0.5rem 0 0;
  list-style: none; }
.syslab-topics li { font-size: 0.75rem; border: 1px solid var(--syslab-border);
  border-radius: 99px; padding: 0 0.5rem; color: var(--syslab-text-sec); }
.syslab-card-progress { margin: 0.6rem 0 0; font-size: 0.85rem; font-weight: 600;
  color: var(--syslab-success-fg); }
`;

/**
 * The index's only script: marks each card whose lab has predictions in this browser's design
 * ledger (`localStorage["syslab.ledger.v1"]`, which the labs write; shared by every page of the
 * same site, and by `file://` pages in Chromium). Allowed by its hash; without it (or without
 * storage) the index is the same page minus the marks.
 */
const INDEX_SCRIPT = `(() => {
  let labs = {};
  try { labs = JSON.parse(localStorage.getItem(${
  JSON.stringify(STORAGE_KEY)
}) || "{}").labs || {}; }
  catch (e) { return; }
  for (const card of document.querySelectorAll("[data-lab]")) {
    const e = labs[card.dataset.lab];
    if (!e) continue;
    const answers = [["act1_prediction", e.act1_prediction], ...Object.entries(e.predictions || {})]
      .filter(([k, v]) => v !== undefined && v !== null && !k.endsWith("_correct"));
    if (!answers.length) continue;
    const marks = [e.act1_correct, ...Object.entries(e.predictions || {})
      .filter(([k]) => k.endsWith("_correct")).map(([, v]) => v)];
    const right = marks.filter((v) => v === true).length;
    const p = document.createElement("p");
    p.className = "syslab-card-progress";
    p.textContent = "Your predictions: " + answers.length + " made, " + right + " correct";
    card.append(p);
  }
})();`;

/** The site's index page: catalog cards linking to `<id>.html`, grouped by volume. */
export async function siteIndex(labs: readonly LabMeta[]): Promise<string> {
  const byId = (a: LabMeta, b: LabMeta) => a.id.localeCompare(b.id, "en", { numeric: true });
  const groups = GROUPS.map(([name, has]) => [name, labs.filter(has).sort(byId)] as const)
    .filter(([, list]) => list.length)
    .map(([name, list]) =>
      `<section aria-labelledby="g-${slug(name)}"><h2 class="syslab-group" id="g-${
        slug(name)
      }">${name}</h2>
<ul class="syslab-cards">
${list.map(card).join("\n")}
</ul></section>`
    ).join("\n");
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src '${await scriptHash(
    INDEX_SCRIPT,
  )}'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>syslab · labs</title>
<style>${PAGE_CSS}
${cellsCSS}
${INDEX_CSS}</style>
</head>
<body>
<main class="syslab-lab">
<h1>Interactive ML-systems labs</h1>
<p>Each lab is one HTML file that runs offline: open it, move the sliders, make your predictions.</p>
${groups}
</main>
<script>${INDEX_SCRIPT}</script>
</body>
</html>
`;
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-");

/** A one-line terminal progress bar: `[#######·······] 3/7 v2-10`. */
export function progressBar(done: number, total: number, label: string, width = 24): string {
  const filled = total ? Math.round((done / total) * width) : width;
  return `[${"#".repeat(filled)}${"·".repeat(width - filled)}] ${done}/${total} ${label}`;
}
