package web

import (
	"bytes"
	"io/fs"
	"net/http"
	"strings"
	"testing"

	"saddlepoint/web/static"
)

// TestStaticAssetsGzipped fetches every embedded asset with and without
// gzip: text comes gzipped and unpacks to the file, with the Content-Type it
// has plain; everything else, and every request that cannot take gzip, gets
// the file as it is, ranges included.
func TestStaticAssetsGzipped(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	get := func(name, acceptEncoding, rangeHeader string) (*http.Response, []byte) {
		t.Helper()
		var headers []string
		if rangeHeader != "" {
			headers = []string{"Range", rangeHeader}
		}
		return rawRequest(t, http.MethodGet, srv.URL+"/static/"+name, "", acceptEncoding, headers...)
	}
	gzipped := 0
	err := fs.WalkDir(static.FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		want, err := fs.ReadFile(static.FS, name)
		if err != nil {
			return err
		}
		plain, body := get(name, "identity", "")
		if plain.StatusCode != http.StatusOK || !bytes.Equal(body, want) || plain.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s plain: %d, Content-Encoding %q, %d bytes of %d", name, plain.StatusCode, plain.Header.Get("Content-Encoding"), len(body), len(want))
		}
		resp, body := get(name, "gzip, deflate, br", "")
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != plain.Header.Get("Content-Type") {
			t.Errorf("%s with gzip: %d, Content-Type %q, plain %q", name, resp.StatusCode, resp.Header.Get("Content-Type"), plain.Header.Get("Content-Type"))
		}
		if resp.Header.Get("Content-Encoding") == "gzip" {
			gzipped++
			if got := gunzip(t, body); !bytes.Equal(got, want) {
				t.Errorf("%s: gunzipped to %d bytes, the file has %d", name, len(got), len(want))
			}
		} else if !bytes.Equal(body, want) {
			t.Errorf("%s with gzip, not gzipped: %d bytes of %d", name, len(body), len(want))
		}
		if text := compressibleType(plain.Header.Get("Content-Type")); text != (resp.Header.Get("Content-Encoding") == "gzip") {
			t.Errorf("%s (%s): Content-Encoding %q", name, plain.Header.Get("Content-Type"), resp.Header.Get("Content-Encoding"))
		}
		part, body := get(name, "identity", "bytes=0-9")
		if part.StatusCode != http.StatusPartialContent || !bytes.Equal(body, want[:min(10, len(want))]) {
			t.Errorf("%s bytes 0-9: %d %q", name, part.StatusCode, body)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if gzipped < 10 {
		t.Errorf("only %d assets came gzipped", gzipped)
	}
	if resp, _ := get("js/nothing.js", "gzip", ""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a missing asset: %d", resp.StatusCode)
	}
	if resp, _ := get("js/../js/app.js", "gzip", ""); resp.StatusCode != http.StatusOK && !strings.HasPrefix(resp.Status, "30") {
		t.Errorf("js/../js/app.js: %d", resp.StatusCode)
	}
}
