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
// gzipped at gzip's best compression, compressed on the first request and
// kept. The embedded assets never change, and the compression middleware
// compressed them again on every request: on a first load of the page,
// some 470 kB of scripts and styles (docs/performance.md).
func precompressed(fsys fs.FS) http.Handler {
	files := http.FileServerFS(fsys)
	var zipped sync.Map // file name → *gzippedFile
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.Header.Get("Range") != "" || !acceptsGzip(r.Header.Get("Accept-Encoding")) {
			files.ServeHTTP(w, r)
			return
		}
		name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		f, ok := zipped.Load(name)
		if !ok {
			g, err := gzipFile(fsys, name)
			if err != nil { // a directory, a file that is not there, or not text
				files.ServeHTTP(w, r)
				return
			}
			f, _ = zipped.LoadOrStore(name, g)
		}
		g := f.(*gzippedFile)
		w.Header().Set("Content-Type", g.contentType)
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Add("Vary", "Accept-Encoding")
		w.Header().Set("Content-Length", strconv.Itoa(len(g.data)))
		_, _ = w.Write(g.data)
	})
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
	return &gzippedFile{contentType: contentType, data: gzipBytes(data, gzip.BestCompression)}, nil
}

// gzipBytes returns data gzipped at level, one of gzip's levels, for the
// responses kept compressed: static assets, pages and plots.
func gzipBytes(data []byte, level int) []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, level) // a valid level: no error
	_, _ = zw.Write(data)                   // into memory: no error
	_ = zw.Close()
	return b.Bytes()
}

// compressibleType reports whether a Content-Type is text that gzip
// shrinks.
func compressibleType(contentType string) bool {
	t, _, _ := strings.Cut(contentType, ";")
	return strings.HasPrefix(t, "text/") || t == "image/svg+xml" || t == "application/json" || t == "application/javascript"
}
