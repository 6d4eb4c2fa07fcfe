/**
 * Cluster lookup and the collective fit a cluster's jobs run on.
 *
 * @module
 */
import { CLUSTERS, type ClusterSpec } from "../data/clusters.ts";
import { buildIndex, nearMatches, norm, UnknownIdError } from "../registry.ts";
import { clusterFit } from "./collective-fits.ts";
import type { CollectiveFit } from "./collectives.ts";

const INDEX = buildIndex(CLUSTERS);

/** Every cluster node type. */
export function listClusters(): readonly ClusterSpec[] {
  return CLUSTERS;
}

/** A cluster by id or alias (`dgx-a100`, `selene`); throws {@link UnknownIdError}. */
export function lookupCluster(id: string): ClusterSpec {
  const c = INDEX.get(norm(id));
  if (!c) throw new UnknownIdError("cluster", id, nearMatches(id, CLUSTERS));
  return c;
}

/** Resolve a spec-or-id argument to a cluster. */
export function asCluster(c: ClusterSpec | string): ClusterSpec {
  return typeof c === "string" ? lookupCluster(c) : c;
}

/** The collective fit (intra-node lines + scale-out rate) of a cluster. */
export function fitOf(c: ClusterSpec): CollectiveFit {
  return clusterFit(c.collective, c.nicBytesPerS);
}
