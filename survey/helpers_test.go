package survey_test

import (
	"testing"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
	"saddlepoint/survey"
)

// newSetup returns the catalogue surface and a setup of the optimizer with
// the given parameters, the rest at their defaults, over it.
func newSetup(tb testing.TB, surface, optimizer string, given engine.Params, limits engine.Limits) (surfaces.Surface, survey.Setup) {
	tb.Helper()
	s, ok := surfaces.Lookup(surface)
	if !ok {
		tb.Fatalf("no surface %q", surface)
	}
	m, ok := engine.LookupMethod(optimizer)
	if !ok {
		tb.Fatalf("no optimizer %q", optimizer)
	}
	params, err := m.Resolve(given)
	if err != nil {
		tb.Fatal(err)
	}
	return s, survey.Setup{F: s.TwiceDifferentiable, Method: m, Params: params, Limits: limits}
}
