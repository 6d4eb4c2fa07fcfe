/**
 * A site page's one inline script: the loader of the site's shared files, and the lab's own code
 * as a function it runs once the files it needs are in. Shared files are classic scripts, each
 * `__syslabSite.define(name, function () {…})`, inserted by the loader:
 *
 * - over http(s) with `integrity` (SRI, sha384) and `crossorigin`, so the browser checks each
 *   file against the hash the page names;
 * - from `file://` without it: Chromium blocks an integrity-checked script there (a `file://`
 *   page has an opaque origin, so the load is not CORS-enabled and the hash cannot be enforced),
 *   and module scripts and `fetch` do not load from `file://` at all. The page's CSP allows the
 *   files by `'self'` there.
 *
 * Files are loaded in parallel and defined without running; the shared runtime (`syslab`) runs
 * first, then the lab. `boot` files are in before the lab runs (the markdown engine, which the
 * page may call synchronously), `eager` ones load meanwhile (Vega), `lazy` ones only when the page
 * asks (vega-lite); the page's chunk API (`site-chunk.ts`) reaches them through `__syslabSite`.
 *
 * @module
 */
/** Where the loader offers the shared files to the page (`site-chunk.ts`). */
export const SITE_GLOBAL = "__syslabSite";

/** When a shared file loads. */
export type LoadWhen = "boot" | "eager" | "lazy";

/** One shared file as the loader sees it: name, file name, integrity, when it loads. */
export type LoaderFile = [name: string, file: string, integrity: string, when: LoadWhen];

/** The name under which the shared runtime defines itself; it runs before the lab. */
export const RUNTIME_FILE = "syslab";

/** The loader (a function expression taking the folder, the files and the lab's code). */
const LOADER = `function (base, files, lab) {
  var defined = {}, loads = {}, ran = {}, byName = {};
  var checked = location.protocol === "http:" || location.protocol === "https:";
  function load(name) {
    var f = byName[name];
    if (!f) return Promise.reject(new Error("syslab: the site has no " + name + " file"));
    return loads[name] || (loads[name] = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      if (checked) { s.integrity = f[2]; s.crossOrigin = "anonymous"; }
      s.src = base + f[1];
      s.onload = function () {
        if (defined[name]) resolve();
        else reject(new Error("syslab: " + s.src + " did not define " + name));
      };
      s.onerror = function () { reject(new Error("syslab: could not load " + s.src)); };
      document.head.append(s);
    }));
  }
  function run(name) {
    if (ran[name]) return;
    if (!defined[name]) throw new Error("syslab: the " + name + " file has not loaded yet");
    ran[name] = true;
    defined[name]();
  }
  globalThis.${SITE_GLOBAL} = {
    define: function (name, fn) { defined[name] = fn; },
    has: function (name) { return name !== ${JSON.stringify(RUNTIME_FILE)} && !!byName[name]; },
    load: load,
    run: run,
    loaded: function (name) { return !!defined[name]; }
  };
  files.forEach(function (f) { byName[f[0]] = f; });
  var boot = files.filter(function (f) { return f[3] === "boot"; }).map(function (f) {
    return load(f[0]);
  });
  files.forEach(function (f) {
    if (f[3] === "eager") load(f[0]).catch(function () {});
  });
  Promise.all(boot).then(function () {
    run(${JSON.stringify(RUNTIME_FILE)});
    lab();
  }, function (e) { console.error(e); });
}`;

/**
 * The page's inline script: the loader called with the assets folder (relative to the page), the
 * files, and the lab's code (a strict function body, see `site-bundle.ts`).
 */
export function siteScript(base: string, files: readonly LoaderFile[], labBody: string): string {
  return `(${LOADER.replace(/\n\s*/g, " ")})(${JSON.stringify(base)}, ${
    JSON.stringify(files)
  }, function () {${labBody}\n});`;
}
