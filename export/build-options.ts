/** What every exported-page build shares: one minified, deterministic browser file in memory. */
import type * as esbuild from "esbuild";

/** esbuild options common to the page bundle and its lazy chunks. */
export function exportBuildOptions(root: string): esbuild.BuildOptions & { write: false } {
  return {
    bundle: true,
    platform: "browser",
    target: "es2022",
    minify: true,
    write: false,
    legalComments: "none",
    charset: "utf8",
    logLevel: "silent",
    absWorkingDir: root,
  };
}
