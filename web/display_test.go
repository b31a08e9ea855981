package web

import (
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"saddlepoint/scenarios"
	"saddlepoint/web/templates"
)

func TestPageDisplay(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		query string
		want  templates.Display
	}{
		{"", templates.Display{}},
		{"theme=dark", templates.Display{Theme: "dark"}},
		{"theme=light&presenter=1", templates.Display{Theme: "light", Presenter: true}},
		{"embed=1&surface=bowl", templates.Display{Embed: true}},
		// Anything else is the reader's stored choice or the system's.
		{"theme=sepia&presenter=yes&embed=true", templates.Display{}},
	} {
		t.Run(tc.query, func(t *testing.T) {
			t.Parallel()
			q, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			if got := pageDisplay(q); got != tc.want {
				t.Errorf("pageDisplay(%q) = %+v, want %+v", tc.query, got, tc.want)
			}
		})
	}
}

// TestPageRendersDisplay checks that the server renders the page as its
// URL asks, before any script runs: the theme and the modes on <html>, the
// toggles' states, the link to the full page only in a frame, and the
// scenario menu naming a scenario however it is displayed.
func TestPageRendersDisplay(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	get := func(path string) string {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
		}
		return string(body)
	}
	plain := get("/")
	for _, absent := range []string{"data-theme", "data-presenter", "data-embed", `id="open-full"`} {
		if strings.Contains(plain, absent) {
			t.Errorf("the plain page has %s", absent)
		}
	}
	for _, want := range []string{`id="theme-toggle"`, `id="presenter-toggle" type="button" class="mast-toggle" aria-pressed="false"`} {
		if !strings.Contains(plain, want) {
			t.Errorf("the plain page lacks %s", want)
		}
	}
	shown := get("/?theme=dark&presenter=1&embed=1")
	for _, want := range []string{
		`<html lang="en" data-theme="dark" data-presenter data-embed>`,
		`id="theme-toggle" type="button" class="mast-toggle" aria-pressed="true"`,
		`id="presenter-toggle" type="button" class="mast-toggle" aria-pressed="true"`,
		`id="open-full" href="/" target="_blank" rel="noopener"`,
	} {
		if !strings.Contains(shown, want) {
			t.Errorf("the page of theme=dark&presenter=1&embed=1 lacks %s", want)
		}
	}
	first := scenarios.All()[0]
	page := get(first.URL + "&presenter=1&theme=light")
	if want := `value="` + html.EscapeString(first.URL) + `" selected`; !strings.Contains(page, want) {
		t.Errorf("in presenter mode the scenario menu does not name %s", first.ID)
	}
}
