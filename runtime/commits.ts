/**
 * Where a page keeps its acts' commits so that they are final across a reload, a new tab, a
 * browser restart and an exported file: the runtime asks a {@link CommitStore}, which `cells/`
 * provides over the design ledger (`cells/ledger/commits.ts`). The runtime itself keeps nothing.
 *
 * @module
 */
import type { ActCommit } from "./act.ts";

/** A lab's commits, kept somewhere that outlives the page. */
export interface CommitStore {
  /** The commits made so far, oldest first. */
  load(): readonly ActCommit[];
  /** Records a commit at once (before the page can be closed). */
  save(commit: ActCommit): void;
  /**
   * Writes a commit the student just made where a reload finds it for sure, before the page
   * applies it (localStorage alone can lose a write across a quick reload): a reload before this
   * settles finds the lock open, and nothing behind it was shown. Settles, never rejects, within
   * a bounded time even if the storage hangs.
   */
  persist?(commit: ActCommit): Promise<void>;
  /** Calls `fn` when commits arrive from elsewhere (another tab, the dev server's file). */
  subscribe?(fn: (commits: readonly ActCommit[]) => void): () => void;
  /**
   * Settles once the commits kept elsewhere at mount (a durable copy read asynchronously) have
   * reached `subscribe`'s callback; the page's `ready` waits for it.
   */
  arrived?(): Promise<void>;
  /**
   * Forgets every commit of the lab (the confirmed "start this lab over"); the promise settles once
   * the new attempt is stored durably, so a reload after it starts from the new attempt.
   */
  clear(): void | Promise<void>;
}

let provider: ((lab: string) => CommitStore) | null = null;

/** Sets the store pages use for commits (`cells/` does this when it loads). */
export function provideCommitStore(make: ((lab: string) => CommitStore) | null): void {
  provider = make;
}

/** The commit store for `lab`, or null when none is provided (headless runs keep commits in memory). */
export function commitStoreFor(lab: string): CommitStore | null {
  return provider ? provider(lab) : null;
}
