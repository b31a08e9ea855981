package contour

import "math"

// logDecades is how many decades of f − min the log-spaced levels of [Levels]
// cover.
const logDecades = 4

// Levels returns n increasing contour levels that show g well. Let min and
// max be the least and greatest finite values of g and R = max − min.
//
// When more than half of the finite values lie within R/10 of min (their
// median is in the lowest tenth of the range), the surface spans decades, as
// Rosenbrock's function does over [−2, 2] × [−1, 3], where values run from 0
// to about 2500 but the valley holding the minimum is far below 100. Levels
// are then spaced logarithmically in f − min over four decades:
//
//	level_k = min + R·10^(4·(k − n)/n),  k = 0, …, n − 1,
//
// from min + R/10⁴ up to but excluding max. Otherwise levels are spaced
// linearly, strictly between min and max:
//
//	level_k = min + R·(k + 1)/(n + 1),  k = 0, …, n − 1.
//
// Both rules measure from min, so surfaces with negative values, such as the
// saddle x² − y², need no special case. Levels returns nil if n ≤ 0 or g has
// no two distinct finite values.
func Levels(g Grid, n int) []float64 {
	lo, hi, ok := g.Range()
	if n <= 0 || !ok || !(lo < hi) {
		return nil
	}
	// Values beyond ±MaxFloat64/2 could make hi − lo overflow; the rule is
	// then applied to f/2 and the levels scaled back.
	scale := 1.0
	if math.IsInf(hi-lo, 0) {
		scale = 0.5
	}
	lo, hi = scale*lo, scale*hi
	span := hi - lo
	levels := make([]float64, n)
	// A subnormal span has no four decades below it and falls back to linear.
	if bottom := span * math.Pow(10, -logDecades); bottom > 0 && spansDecades(g, lo, span, scale) {
		for k, d := range LogLevels(bottom, span, n+1)[:n] {
			levels[k] = (lo + d) / scale
		}
		return levels
	}
	for k := range levels {
		levels[k] = (lo + span*(float64(k+1)/float64(n+1))) / scale
	}
	return levels
}

// SpansDecades reports whether g spans decades by the rule of [Levels], so
// that Levels spaces its levels logarithmically: whether more than half of
// its finite values lie in the lowest tenth of their range. Other displays
// of g, such as a 3-D view's height scale, follow the same choice.
func SpansDecades(g Grid) bool {
	lo, hi, ok := g.Range()
	if !ok || !(lo < hi) {
		return false
	}
	scale := 1.0
	if math.IsInf(hi-lo, 0) {
		scale = 0.5
	}
	return spansDecades(g, scale*lo, scale*hi-scale*lo, scale)
}

// spansDecades reports whether more than half of the finite values of g,
// multiplied by scale, lie within span/10 of lo.
func spansDecades(g Grid, lo, span, scale float64) bool {
	low, finite := 0, 0
	for _, v := range g.Values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		finite++
		if scale*v-lo <= span/10 {
			low++
		}
	}
	return 2*low > finite
}

// LogLevels returns n levels spaced evenly in log scale from lo to hi, both
// included: lo·(hi/lo)^(k/(n−1)) for k = 0, …, n − 1. A single level is lo.
// LogLevels returns nil if n ≤ 0 and panics unless 0 < lo ≤ hi < +Inf.
func LogLevels(lo, hi float64, n int) []float64 {
	if !(0 < lo && lo <= hi && !math.IsInf(hi, 1)) {
		panic("contour: LogLevels needs 0 < lo ≤ hi < +Inf")
	}
	if n <= 0 {
		return nil
	}
	levels := make([]float64, n)
	levels[0] = lo
	if n == 1 {
		return levels
	}
	logLo, logHi := math.Log(lo), math.Log(hi)
	for k := 1; k < n-1; k++ {
		levels[k] = math.Exp(logLo + (logHi-logLo)*float64(k)/float64(n-1))
	}
	levels[n-1] = hi
	return levels
}
