//go:build race

package engine_test

// raceEnabled reports whether the tests run under the race detector, whose
// sync.Pool drops items at random, so that allocation counts are not exact.
const raceEnabled = true
