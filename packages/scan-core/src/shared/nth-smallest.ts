/**
 * The `rank`-th smallest value (0-based, 0 ≤ rank < values.length) of `values`, which it reorders: the sorted
 * array's value there, in expected linear time (a middle pivot; quadratic only on contrived orders).
 */
export function nthSmallest(values: Float64Array, rank: number): number {
  let low = 0;
  let high = values.length - 1;
  while (low < high) {
    const pivot = values[(low + high) >> 1] as number;
    let i = low;
    let j = high;
    while (i <= j) {
      while ((values[i] as number) < pivot) i++;
      while ((values[j] as number) > pivot) j--;
      if (i <= j) {
        const swap = values[i] as number;
        values[i] = values[j] as number;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (rank <= j) high = j;
    else if (rank >= i) low = i;
    else return values[rank] as number;
  }
  return values[rank] as number;
}
