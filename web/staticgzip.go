package web

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
)

// precompressed serves the files of fsys as http.FileServerFS does, except
// that a GET of a whole text file by a client that takes gzip gets the file
// gzipped at gzip's best compression. The embedded assets never change, and
// the compression middleware compressed them again on every request: on a
// first load of the page, some 470 kB of scripts and styles
// (docs/performance.md). Every text file is compressed before the handler
// serves anything (gzipAll), since compressing them on their first requests
// took 70 to 200 ms of CPU in the middle of the first visitor's page load,
// the stylesheets that hold up its first paint among them.
func precompressed(fsys fs.FS) http.Handler {
	files := http.FileServerFS(fsys)
	zipped := gzipAll(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g, ok := zipped[strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")]
		if !ok || r.Method != http.MethodGet || r.Header.Get("Range") != "" || !acceptsGzip(r.Header.Get("Accept-Encoding")) {
			files.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", g.contentType)
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Add("Vary", "Accept-Encoding")
		w.Header().Set("Content-Length", strconv.Itoa(len(g.data)))
		_, _ = w.Write(g.data)
	})
}

// gzippedAssets holds, for each file system precompressed serves, a
// function returning its text files gzipped, so that they are compressed
// once however many servers the process starts (the tests start hundreds).
var gzippedAssets sync.Map // fs.FS → func() map[string]*gzippedFile

// gzipAll returns the text files of fsys, which must be comparable (as
// embed.FS is), gzipped, by name.
func gzipAll(fsys fs.FS) map[string]*gzippedFile {
	all, _ := gzippedAssets.LoadOrStore(fsys, sync.OnceValue(func() map[string]*gzippedFile {
		zipped := map[string]*gzippedFile{}
		_ = fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if g, err := gzipFile(fsys, name); err == nil { // text only
					zipped[name] = g
				}
			}
			return nil // an unreadable directory leaves its files to http.FileServerFS
		})
		return zipped
	}))
	return all.(func() map[string]*gzippedFile)()
}

// gzippedFile is a file of the assets, gzipped, with its Content-Type.
type gzippedFile struct {
	contentType string
	data        []byte
}

// errNotText refuses to gzip a file that is not text: images and fonts are
// compressed already.
var errNotText = errString("not a text file")

// gzipFile reads the named file of fsys and gzips it, if it is text by its
// extension (as http.FileServerFS names its Content-Type).
func gzipFile(fsys fs.FS, name string) (*gzippedFile, error) {
	contentType := mime.TypeByExtension(path.Ext(name))
	if !compressibleType(contentType) {
		return nil, errNotText
	}
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	return &gzippedFile{contentType: contentType, data: gzipBytes(data)}, nil
}

// gzipBytes returns data gzipped at gzip's best level, for the responses
// kept compressed, each compressed once: static assets and pages.
func gzipBytes(data []byte) []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression) // a valid level: no error
	_, _ = zw.Write(data)                                  // into memory: no error
	_ = zw.Close()
	return b.Bytes()
}

// compressibleType reports whether a Content-Type is text that gzip
// shrinks.
func compressibleType(contentType string) bool {
	t, _, _ := strings.Cut(contentType, ";")
	return strings.HasPrefix(t, "text/") || t == "image/svg+xml" || t == "application/json" || t == "application/javascript"
}
