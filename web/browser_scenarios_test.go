package web

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"saddlepoint/scenarios"
)

// TestBrowserEveryScenario opens each scenario of the chapter by its link,
// as a student picking it from the menu would, and checks that the page
// shows its surface, draws every run it asks for to a final status with
// at least two points, says nothing in the console, and keeps a screenshot
// of it (scenario-<id>.png) for a person to look at. Reduced motion shows
// each run whole at once, so nineteen scenarios take seconds, not minutes.
func TestBrowserEveryScenario(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	reduce := prefersMedia("prefers-reduced-motion", "reduce")
	if err := chromedp.Do(ctx, reduce); err != nil {
		t.Fatal(err)
	}
	for _, sc := range scenarios.All() {
		state, problem := parsePageState(mustQuery(t, sc.URL))
		if problem != "" {
			t.Fatalf("%s: its link %q does not parse: %s", sc.ID, sc.URL, problem)
		}
		if err := chromedp.Do(ctx,
			chromedp.Navigate(srv.URL+sc.URL),
			chromedp.WaitVisible(`#plot[data-surface="`+state.surface.Name+`"]`),
		); err != nil {
			t.Fatalf("%s: %v", sc.ID, err)
		}
		runs := waitForRuns(t, ctx, 0)
		optimizers := map[string]bool{}
		for _, r := range runs {
			optimizers[r.Optimizer] = true
			if r.Points < 2 {
				t.Errorf("%s: %s drawn with %d points", sc.ID, r.Optimizer, r.Points)
			}
		}
		for _, name := range sc.Optimizers {
			if !optimizers[name] {
				t.Errorf("%s: no path of %s drawn (drawn: %v)", sc.ID, name, optimizers)
			}
		}
		screenshot(t, ctx, "scenario-"+sc.ID)
	}
}

// mustQuery returns the query of a site path such as "/?surface=bowl&…".
func mustQuery(t *testing.T, path string) url.Values {
	t.Helper()
	_, query, _ := strings.Cut(path, "?")
	q, err := url.ParseQuery(query)
	if err != nil {
		t.Fatalf("%q: %v", path, err)
	}
	return q
}
