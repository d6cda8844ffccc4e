/**
 * ROC AUC: the probability that a randomly chosen positive scores higher than a randomly chosen
 * negative (ties count one half). This is the Mann–Whitney U statistic divided by n₊·n₋, computed
 * from ranks: AUC = (Σ ranks of positives − n₊(n₊ + 1)/2) / (n₊·n₋), with tied scores sharing
 * their average rank. O(n log n), no threshold sweep needed.
 */

/** Area under the ROC curve of `scores` (higher = more positive) against `isPositive`. */
export function rocAuc(scores: ArrayLike<number>, isPositive: ArrayLike<boolean>): number {
  const n = scores.length;
  if (isPositive.length !== n) throw new Error(`rocAuc: ${n} scores but ${isPositive.length} labels`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && scores[order[end + 1]] === scores[order[start]]) end++;
    const averageRank = (start + end) / 2 + 1; // ranks are 1-based
    for (let k = start; k <= end; k++) {
      if (isPositive[order[k]]) {
        positives++;
        positiveRankSum += averageRank;
      }
    }
    start = end + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) throw new Error(`rocAuc: need both classes, got ${positives} positives and ${negatives} negatives`);
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
