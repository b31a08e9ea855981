package engine

import (
	"math/rand/v2"

	"saddlepoint/surfaces"
)

// StartCloud describes many starting points drawn at random around a
// centre, for the chapter's lessons on initialization: how the scale of the
// initial parameters matters, and why they must break symmetry.
type StartCloud struct {
	// N is the number of starts.
	N int
	// Distribution is "normal", for centre + Scale·z with z ~ N(0, I), or
	// "uniform", for centre + Scale·u with each coordinate of u uniform on
	// [−1, 1).
	Distribution string
	Scale        float64
	Center       surfaces.Point
	// Seed seeds the generator (PCG), so the same cloud comes back bit for
	// bit.
	Seed uint64
}

// Distributions lists the values StartCloud.Distribution may take.
var Distributions = []string{"normal", "uniform"}

// Points draws the cloud's starts, x before y for each point.
func (c StartCloud) Points() []surfaces.Point {
	rng := rand.New(rand.NewPCG(c.Seed, c.Seed))
	draw := rng.NormFloat64
	if c.Distribution == "uniform" {
		draw = func() float64 { return 2*rng.Float64() - 1 }
	} else if c.Distribution != "normal" {
		panic("engine: unknown start distribution " + c.Distribution)
	}
	points := make([]surfaces.Point, c.N)
	for i := range points {
		x := draw()
		y := draw()
		points[i] = surfaces.Point{c.Center[0] + c.Scale*x, c.Center[1] + c.Scale*y}
	}
	return points
}
