/**
 * A binary min-heap of (integer key, id) pairs in typed arrays, for the simulation's "which
 * sequences finish at this decode step" queue (O(log n) push/pop, no allocation per item).
 *
 * @module
 */

/** Min-heap on integer keys. */
export class KeyHeap {
  #keys: Float64Array;
  #ids: Int32Array;
  #n = 0;

  constructor(capacity = 1024) {
    this.#keys = new Float64Array(capacity);
    this.#ids = new Int32Array(capacity);
  }

  get size(): number {
    return this.#n;
  }

  /** Smallest key (Infinity when empty). */
  peekKey(): number {
    return this.#n ? this.#keys[0] : Infinity;
  }

  push(key: number, id: number): void {
    if (this.#n === this.#keys.length) {
      const k = new Float64Array(this.#n * 2), d = new Int32Array(this.#n * 2);
      k.set(this.#keys);
      d.set(this.#ids);
      this.#keys = k;
      this.#ids = d;
    }
    let i = this.#n++;
    const keys = this.#keys, ids = this.#ids;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (keys[up] <= key) break;
      keys[i] = keys[up];
      ids[i] = ids[up];
      i = up;
    }
    keys[i] = key;
    ids[i] = id;
  }

  /** Remove the smallest entry and return its id. */
  pop(): number {
    const keys = this.#keys, ids = this.#ids;
    const top = ids[0];
    const n = --this.#n;
    const key = keys[n], id = ids[n];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && keys[c + 1] < keys[c]) c++;
      if (keys[c] >= key) break;
      keys[i] = keys[c];
      ids[i] = ids[c];
      i = c;
    }
    keys[i] = key;
    ids[i] = id;
    return top;
  }
}
