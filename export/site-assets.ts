/**
 * The shared files of a site: each one's text (`__syslabSite.define(name, function () {…})`), its
 * content-hashed file name (`<name>-<16 hex of its SHA-384>.js`: a new text is a new name, so a
 * host may cache every file forever) and its Subresource Integrity value (`sha384-<base64>`).
 *
 * @module
 */
import { type LoadWhen, SITE_GLOBAL } from "./site-loader.ts";

/** The site's folder of shared files, relative to its pages. */
export const ASSETS_DIR = "assets";

/** One shared file. */
export interface SharedFile {
  /** What the loader calls it (`syslab`, or a lazy chunk's name). */
  name: string;
  /** Its file name inside {@link ASSETS_DIR}. */
  file: string;
  /** Its text. */
  text: string;
  /** `sha384-<base64>` of its bytes. */
  integrity: string;
  /** When a page loads it. */
  when: LoadWhen;
  /** Its size in bytes. */
  bytes: number;
}

/** The SHA-384 of `bytes`: the integrity value and the 16 hex digits of the file name. */
export async function contentHash(
  bytes: Uint8Array<ArrayBuffer>,
): Promise<{ integrity: string; hex: string }> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-384", bytes));
  const hex = [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return { integrity: `sha384-${btoa(String.fromCharCode(...digest))}`, hex };
}

/** Wraps a script body as the shared file `name` and names it by its content. */
export async function sharedFile(name: string, body: string, when: LoadWhen): Promise<SharedFile> {
  const text = `${SITE_GLOBAL}.define(${JSON.stringify(name)}, function () {\n${body}\n});\n`;
  const bytes = new TextEncoder().encode(text);
  const { integrity, hex } = await contentHash(bytes);
  return { name, file: `${name}-${hex}.js`, text, integrity, when, bytes: bytes.length };
}

/**
 * A `_headers` file (read by Netlify and Cloudflare Pages; other hosts ignore it) marking the
 * hashed files immutable, so a browser never asks for them again.
 */
export const HEADERS_FILE =
  `/${ASSETS_DIR}/*\n  Cache-Control: public, max-age=31536000, immutable\n`;
