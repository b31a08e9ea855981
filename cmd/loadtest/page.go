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

// pageLoad is what a first visit fetches, in waves: the page; what it
// references; what those reference (the imports of its modules); and so on.
type pageLoad [][]string

// requests counts the requests of the load.
func (l pageLoad) requests() int {
	n := 0
	for _, wave := range l {
		n += len(wave)
	}
	return n
}

// discoverPage loads the page once as a browser's first visit does and
// finds every asset it references, in the HTML, the CSS and the static
// imports of the JavaScript modules, fonts left out. It returns the waves
// of requests and the bytes they transferred.
func discoverPage(ctx context.Context, base string) (pageLoad, int64, error) {
	client, done := browserClient()
	defer done()
	seen := map[string]bool{base + "/": true}
	load := pageLoad{{base + "/"}}
	var total int64
	for wave := load[0]; len(wave) > 0; {
		var next []string
		for _, u := range wave {
			body, n, err := get(ctx, client, u, true)
			total += n
			if err != nil {
				return nil, 0, err
			}
			for _, ref := range references(u, body) {
				if !seen[ref] {
					seen[ref] = true
					next = append(next, ref)
				}
			}
		}
		if len(next) > 0 {
			load = append(load, next)
		}
		wave = next
	}
	return load, total, nil
}

// pageClient makes the requests of a first visit: wave by wave, six at a
// time, over connections of its own and with Accept-Encoding: gzip. It reads
// every body as sent, without unpacking or parsing it: a browser does that on
// its own machine, and here it would take the cores the server needs.
func pageClient(ctx context.Context, load pageLoad) (out pageOutcome) {
	began := time.Now()
	client, done := browserClient()
	defer done()
	var mu sync.Mutex
	slots := make(chan struct{}, browserConnections)
	for _, wave := range load {
		var wg sync.WaitGroup
		for _, u := range wave {
			wg.Go(func() {
				slots <- struct{}{}
				_, n, err := get(ctx, client, u, false)
				<-slots
				mu.Lock()
				defer mu.Unlock()
				out.requests++
				out.bytes += n
				if err != nil && out.err == nil {
					out.err = err
				}
			})
		}
		wg.Wait()
	}
	out.total = time.Since(began)
	return out
}

// browserClient is an HTTP client with a browser's six connections to a
// host, that leaves the bodies compressed as they were sent; done closes
// its connections.
func browserClient() (client *http.Client, done func()) {
	transport := &http.Transport{MaxConnsPerHost: browserConnections, DisableCompression: true}
	return &http.Client{Transport: transport, Timeout: streamTimeout}, transport.CloseIdleConnections
}

// get fetches u asking for gzip and returns the bytes transferred for its
// body, and with unpack the body itself, decompressed.
func get(ctx context.Context, client *http.Client, u string, unpack bool) ([]byte, int64, error) {
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
	if !unpack {
		n, err := io.Copy(io.Discard, resp.Body)
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("GET %s: %s", u, resp.Status)
		}
		return nil, n, err
	}
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
