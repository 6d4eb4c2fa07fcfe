/**
 * Fabric lookup: the scale-up and scale-out links of the cluster registry (core/data/clusters.ts),
 * each with its datasheet rate per GPU, one direction, and its source.
 *
 * @module
 */
import { FABRICS, type FabricSpec } from "../data/clusters.ts";
import { nearMatches, norm } from "../registry.ts";

/** A fabric by id (`nvlink5`, `efa-v4`); an unknown id throws a RangeError naming near matches. */
export function lookupFabric(id: string): FabricSpec {
  const f = FABRICS.find((x) => norm(x.id) === norm(id));
  if (f) return f;
  const near = nearMatches(id, FABRICS.map((x) => ({ id: x.id, aliases: [] })));
  throw new RangeError(
    `unknown fabric "${id}"` + (near.length ? `; did you mean ${near.join(", ")}?` : "") +
      `; fabrics: ${FABRICS.map((x) => x.id).join(", ")}`,
  );
}
