/**
 * Imported by page bundles before the lab module: the builder then captures no call sites (see
 * `skipCallSites`), and the bundle sets each cell's line from the source.
 */
import { skipCallSites } from "./lab.ts";

skipCallSites();
