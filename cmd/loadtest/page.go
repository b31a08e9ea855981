package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"
)

// browserConnections is how many requests a browser makes to one host at
// once over HTTP/1.1.
const browserConnections = 6

// pageOutcome is what one page client got.
type pageOutcome struct {
	requests int           // the page and its assets
	bytes    int64         // bytes of the bodies as transferred (compressed)
	total    time.Duration // from the first request to the last byte of the last asset
	err      error
}

// pageClient loads the page as a browser's first visit does: the page, then
// every asset it references, found in the HTML, the CSS and the static
// imports of the JavaScript modules, six at a time, over connections of its
// own and with Accept-Encoding: gzip. Fonts are left out.
func pageClient(ctx context.Context, base string) (out pageOutcome) {
	began := time.Now()
	transport := &http.Transport{MaxConnsPerHost: browserConnections, DisableCompression: true}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: streamTimeout}

	var mu sync.Mutex
	seen := map[string]bool{}
	var wg sync.WaitGroup
	slots := make(chan struct{}, browserConnections)
	var fetch func(u string)
	fetch = func(u string) {
		defer wg.Done()
		slots <- struct{}{}
		body, n, err := get(ctx, client, u)
		<-slots
		mu.Lock()
		defer mu.Unlock()
		out.requests++
		out.bytes += n
		if err != nil {
			if out.err == nil {
				out.err = err
			}
			return
		}
		for _, ref := range references(u, body) {
			if !seen[ref] {
				seen[ref] = true
				wg.Add(1)
				go fetch(ref)
			}
		}
	}
	seen[base+"/"] = true
	wg.Add(1)
	fetch(base + "/")
	wg.Wait()
	out.total = time.Since(began)
	return out
}

// get fetches u and returns its body, decompressed, and the bytes that were
// transferred for it.
func get(ctx context.Context, client *http.Client, u string) ([]byte, int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, int64(len(raw)), fmt.Errorf("GET %s: %w", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, int64(len(raw)), fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	if resp.Header.Get("Content-Encoding") != "gzip" {
		return raw, int64(len(raw)), nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, int64(len(raw)), fmt.Errorf("GET %s: %w", u, err)
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		return nil, int64(len(raw)), fmt.Errorf("GET %s: %w", u, err)
	}
	return body, int64(len(raw)), nil
}

// What a first load fetches: the page's src and href under /static/ (see
// staticAttributes), the static imports of the JavaScript modules, and the
// url()s and @imports of the style sheets.
var (
	jsRef  = regexp.MustCompile(`^(?:import|export)\s[^;"'=(]*?\bfrom\s*["']([^"']+)["']|^import\s*["']([^"']+)["']`)
	cssRef = regexp.MustCompile(`url\(\s*["']?([^"')]+)|@import\s+["']([^"']+)`)
)

// staticAttributes finds the values of the page's src="/static/…" and
// href="/static/…" attributes, in the form of a regexp's submatches. It
// looks for the literal text rather than running a regexp over the whole
// page (a page is over 200 kB of SVG), which keeps the clients' CPU for the
// server.
func staticAttributes(html []byte) [][][]byte {
	var out [][][]byte
	marker := []byte(`="/static/`)
	for rest := html; ; {
		i := bytes.Index(rest, marker)
		if i < 0 {
			return out
		}
		value := rest[i+2:]
		end := bytes.IndexByte(value, '"')
		if end < 0 {
			return out
		}
		if bytes.HasSuffix(rest[:i], []byte(" src")) || bytes.HasSuffix(rest[:i], []byte(" href")) {
			out = append(out, [][]byte{nil, value[:end]})
		}
		rest = value[end:]
	}
}

// moduleStatements returns the statements of a JavaScript module that
// begin a line with import or export, each up to its semicolon: where its
// static imports are. Running jsRef over these alone rather than over the
// whole file (a vendored library is 145 kB) keeps the clients' CPU for the
// server.
func moduleStatements(js []byte) [][]byte {
	var out [][]byte
	for i := 0; i < len(js); {
		start := i
		for start < len(js) && (js[start] == ' ' || js[start] == '\t') {
			start++
		}
		next := len(js)
		if nl := bytes.IndexByte(js[i:], '\n'); nl >= 0 {
			next = i + nl + 1
		}
		if rest := js[start:]; bytes.HasPrefix(rest, []byte("import")) || bytes.HasPrefix(rest, []byte("export")) {
			end := len(js)
			if semi := bytes.IndexByte(rest, ';'); semi >= 0 {
				end = start + semi + 1
			}
			out = append(out, js[start:end])
			next = max(next, end)
		}
		i = next
	}
	return out
}

// fontExtensions are left out of a first load's weight, as the issue asks.
var fontExtensions = map[string]bool{".woff": true, ".woff2": true, ".ttf": true, ".otf": true, ".eot": true}

// references lists the same-site URLs that body, fetched from u, makes a
// browser load at once.
func references(u string, body []byte) []string {
	from, err := url.Parse(u)
	if err != nil {
		return nil
	}
	var found [][][]byte
	switch path.Ext(from.Path) {
	case ".js":
		for _, stmt := range moduleStatements(body) {
			found = append(found, jsRef.FindAllSubmatch(stmt, -1)...)
		}
	case ".css":
		found = cssRef.FindAllSubmatch(body, -1)
	case "", ".html":
		found = staticAttributes(body)
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
			if abs.Host != from.Host || fontExtensions[strings.ToLower(path.Ext(abs.Path))] {
				continue
			}
			out = append(out, abs.String())
		}
	}
	return out
}
