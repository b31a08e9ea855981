package scenarios_test

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"saddlepoint/engine"
	"saddlepoint/scenarios"
	"saddlepoint/surfaces"
)

var (
	slug     = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	section  = regexp.MustCompile(`^8(\.[0-9]+){1,2}$`)
	sentence = regexp.MustCompile(`[.!?](\s+|$)`)
)

func TestCatalogue(t *testing.T) {
	t.Parallel()
	all := scenarios.All()
	if len(all) < 16 {
		t.Fatalf("%d scenarios, want at least 16", len(all))
	}
	seen := map[string]bool{}
	for i, s := range all {
		if seen[s.ID] {
			t.Errorf("scenario %d: ID %q is used twice", i, s.ID)
		}
		seen[s.ID] = true
		if i > 0 && compareSections(all[i-1].Section, s.Section) > 0 {
			t.Errorf("%s (§%s) comes after %s (§%s): scenarios must follow the chapter's order", s.ID, s.Section, all[i-1].ID, all[i-1].Section)
		}
	}
}

func TestScenario(t *testing.T) {
	t.Parallel()
	for _, s := range scenarios.All() {
		t.Run(s.ID, func(t *testing.T) {
			t.Parallel()
			if !slug.MatchString(s.ID) {
				t.Errorf("ID %q is not a slug (lower-case words joined by hyphens)", s.ID)
			}
			if s.Title == "" {
				t.Error("no title")
			}
			if !section.MatchString(s.Section) {
				t.Errorf("section %q is not a section of chapter 8 such as 8.3.2", s.Section)
			}
			if n := len(sentence.FindAllString(s.Text, -1)); n < 3 || n > 6 {
				t.Errorf("text has %d sentences, want three to six:\n%s", n, s.Text)
			}
			q := query(t, s.URL)
			if _, ok := surfaces.Lookup(q.Get("surface")); !ok {
				t.Errorf("URL names surface %q, which is not in the catalogue", q.Get("surface"))
			}
			var named []string
			for _, opt := range q["opt"] {
				name, _, _ := strings.Cut(opt, "(")
				named = append(named, name)
			}
			if !slices.Equal(named, s.Optimizers) {
				t.Errorf("Optimizers is %v, but the URL ticks %v", s.Optimizers, named)
			}
			for _, name := range s.Optimizers {
				if _, ok := engine.LookupMethod(name); !ok {
					t.Errorf("optimizer %q is not in the engine's roster", name)
				}
			}
		})
	}
}

func TestLookup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id     string
		wantOK bool
	}{
		{"momentum-ravine", true},
		{"continuation-rastrigin", true},
		{"Momentum-Ravine", false},
		{"", false},
		{"no-such-scenario", false},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			t.Parallel()
			s, ok := scenarios.Lookup(tt.id)
			if ok != tt.wantOK {
				t.Fatalf("Lookup(%q) reports %v, want %v", tt.id, ok, tt.wantOK)
			}
			if ok && s.ID != tt.id {
				t.Errorf("Lookup(%q) returned %q", tt.id, s.ID)
			}
		})
	}
}

// TestAllReturnsACopy checks that a caller cannot change the catalogue
// through what All returns.
func TestAllReturnsACopy(t *testing.T) {
	t.Parallel()
	first := scenarios.All()
	want := first[0].Optimizers[0]
	first[0].Title = "changed"
	first[0].Optimizers[0] = "changed"
	again := scenarios.All()
	if again[0].Title == "changed" || again[0].Optimizers[0] != want {
		t.Errorf("changing All's result changed the catalogue: %+v", again[0])
	}
}

// query parses the query of a scenario's URL, which must be a path on the
// site with a query: "/?surface=...".
func query(tb testing.TB, link string) url.Values {
	tb.Helper()
	if !strings.HasPrefix(link, "/?") {
		tb.Fatalf("URL %q is not a path on the site starting with /?", link)
	}
	u, err := url.Parse(link)
	if err != nil {
		tb.Fatalf("URL %q: %v", link, err)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		tb.Fatalf("URL %q: %v", link, err)
	}
	return q
}

// compareSections orders section numbers such as "8.4" and "8.3.2" as the
// chapter does.
func compareSections(a, b string) int {
	return slices.CompareFunc(strings.Split(a, "."), strings.Split(b, "."), func(x, y string) int {
		nx, _ := strconv.Atoi(x)
		ny, _ := strconv.Atoi(y)
		return nx - ny
	})
}
