/**
 * Runners-up per niche (`llmatic.elitesPerNiche` > 1, beyond the paper): the network archive keeps
 * one elite per niche, which in a region where the best networks crowd into a few niches leaves a
 * single parent per niche there. The reserve keeps the next `size` fittest distinct networks of each
 * niche beside its elite, as parents only (curiosity still scores entry into the archive itself).
 * Plain data, niche → ids fittest first; snapshotted as is.
 */
export type NicheReserve = Record<string, string[]>;

/**
 * Offers a network that did not become (or stopped being) its niche's elite: it joins the niche's
 * runners-up while there is room or when fitter than the least fit of them. Mutates `reserve`.
 */
export function offerRunnerUp(reserve: NicheReserve, niche: number, id: string, size: number, fitnessOf: (id: string) => number): void {
  if (size <= 0) return;
  const list = (reserve[String(niche)] ??= []);
  if (list.includes(id)) return;
  const fitness = fitnessOf(id);
  const at = list.findIndex((m) => fitnessOf(m) < fitness);
  if (at === -1) {
    if (list.length < size) list.push(id);
    return;
  }
  list.splice(at, 0, id);
  if (list.length > size) list.pop();
}

/** Drops `id` from its niche's runners-up (it became the elite). */
export function removeRunnerUp(reserve: NicheReserve, niche: number, id: string): void {
  const list = reserve[String(niche)];
  const at = list?.indexOf(id) ?? -1;
  if (at >= 0) list!.splice(at, 1);
}

/** Every runner-up, niche by niche. */
export function runnersUp(reserve: NicheReserve | undefined): string[] {
  return reserve ? Object.values(reserve).flat() : [];
}
