package main

import (
	"math"
	"slices"
	"time"
)

// percentile returns the p-th percentile (0 < p ≤ 100) of ds by the
// nearest-rank method: the smallest value that at least p % of the values
// are at or below. It is 0 for no values.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	sorted := slices.Clone(ds)
	slices.Sort(sorted)
	// ⌈n·p/100⌉, less a hair so that 1000 × 99 / 100 is 990 however it rounds.
	rank := int(math.Ceil(float64(len(sorted))*p/100 - 1e-9))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// median returns the middle of xs, the mean of the two middle values when
// there is an even number of them, and 0 for none.
func median[T int | int64 | time.Duration](xs []T) T {
	if len(xs) == 0 {
		return 0
	}
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	mid := len(sorted) / 2
	if len(sorted)%2 == 1 {
		return sorted[mid]
	}
	return sorted[mid-1] + (sorted[mid]-sorted[mid-1])/2
}
