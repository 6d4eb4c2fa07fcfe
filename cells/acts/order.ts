/**
 * The order of a prediction's options: a permutation fixed by where the question is asked (lab,
 * act) and what it says (question and option texts), so the correct letter moves between acts and
 * deployment contexts but never between two loads of the same page. FNV-1a over the key picks one
 * of the 24 orders of four options.
 *
 * @module
 */

/** FNV-1a, 32 bits, of a string's UTF-16 code units. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The `k`-th permutation of `0…n-1` in lexicographic order (Lehmer code). */
export function nthPermutation(n: number, k: number): number[] {
  const pool = Array.from({ length: n }, (_, i) => i);
  let fact = 1;
  for (let i = 2; i < n; i++) fact *= i;
  const out: number[] = [];
  let rest = k % (fact * n);
  for (let i = n - 1; i >= 0; i--) {
    const idx = Math.floor(rest / fact);
    rest %= fact;
    out.push(pool.splice(idx, 1)[0]);
    if (i > 0) fact /= i;
  }
  return out;
}

/** `items` in the order the key fixes (deterministic; a different key usually moves them). */
export function orderFor<T>(items: readonly T[], key: string): T[] {
  const n = items.length;
  let count = 1;
  for (let i = 2; i <= n; i++) count *= i;
  return nthPermutation(n, fnv1a(key) % count).map((i) => items[i]);
}
