package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// firstLoadBudget is the most a first visit to the page may transfer with
// compression: the page and every script, style sheet and image it loads,
// vendored libraries included and fonts excluded (issue 6).
const firstLoadBudget = 150_000

// TestFirstLoadWeight loads the page as a browser's first visit does, over
// real HTTP with Accept-Encoding: gzip, follows every asset it references
// (the page's src and href, the static imports of its JavaScript modules,
// the url()s of its style sheets) and sums the bytes of the bodies as
// transferred. It is a size budget, not a timing.
func TestFirstLoadWeight(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}} // count what is sent, not what it unpacks to
	queue := []string{srv.URL + "/"}
	seen := map[string]bool{queue[0]: true}
	var total, unpacked int64
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		sent, body := fetchCompressed(t, client, u)
		total += sent
		unpacked += int64(len(body))
		t.Logf("%7d B sent, %7d B unpacked  %s", sent, len(body), strings.TrimPrefix(u, srv.URL))
		for _, ref := range assetReferences(t, u, body) {
			if !seen[ref] {
				seen[ref] = true
				queue = append(queue, ref)
			}
		}
	}
	t.Logf("%7d B sent, %7d B unpacked  in all, %d requests", total, unpacked, len(seen))
	// The crawl must have followed the page into its modules and its
	// vendored library, or the sum would pass without them.
	for _, want := range []string{"/static/js/app.js", "/static/js/plot.js", "/static/vendor/uplot/uPlot.min.esm.js", "/static/css/app.css"} {
		if !seen[srv.URL+want] {
			t.Errorf("the first load did not fetch %s", want)
		}
	}
	if total > firstLoadBudget {
		t.Errorf("a first load transfers %d bytes, over the budget of %d", total, firstLoadBudget)
	}
}

// fetchCompressed gets u asking for gzip and returns the bytes transferred
// for its body and the body unpacked. Every text response must come
// compressed.
func fetchCompressed(t *testing.T, client *http.Client, u string) (int64, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s %v", u, resp.Status, err)
	}
	if resp.Header.Get("Content-Encoding") != "gzip" {
		if len(raw) > 1024 {
			t.Errorf("GET %s: %d bytes of %s sent uncompressed", u, len(raw), resp.Header.Get("Content-Type"))
		}
		return int64(len(raw)), raw
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	return int64(len(raw)), body
}

// What a first load fetches besides the page: its src and href under
// /static/, the static imports of a module (import … from "…", export …
// from "…", import "…"; dynamic import() waits until it runs), and the
// url()s and @imports of a style sheet.
var (
	pageAssetRef   = regexp.MustCompile(`\s(?:src|href)="(/static/[^"]+)"`)
	moduleImport   = regexp.MustCompile(`(?m)^[ \t]*(?:import|export)\s[^;"'=(]*?\bfrom\s*["']([^"']+)["']|^[ \t]*import\s*["']([^"']+)["']`)
	styleSheetRef  = regexp.MustCompile(`url\(\s*["']?([^"')]+)|@import\s+["']([^"']+)`)
	fontExtensions = []string{".woff", ".woff2", ".ttf", ".otf", ".eot"}
)

// assetReferences lists the same-site URLs body, fetched from u, makes a
// browser load at once, fonts left out.
func assetReferences(t *testing.T, u string, body []byte) []string {
	t.Helper()
	from, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	var found [][][]byte
	switch path.Ext(from.Path) {
	case "":
		found = pageAssetRef.FindAllSubmatch(body, -1)
	case ".js":
		found = moduleImport.FindAllSubmatch(body, -1)
	case ".css":
		found = styleSheetRef.FindAllSubmatch(body, -1)
	}
	var out []string
	for _, groups := range found {
		for _, g := range groups[1:] {
			ref, err := url.Parse(string(g))
			if len(g) == 0 || err != nil || ref.Scheme == "data" {
				continue
			}
			abs := from.ResolveReference(ref)
			abs.Fragment = ""
			if abs.Host == from.Host && !slices.Contains(fontExtensions, strings.ToLower(path.Ext(abs.Path))) {
				out = append(out, abs.String())
			}
		}
	}
	return out
}
