package web

import (
	"cmp"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"saddlepoint/contour"
	"saddlepoint/surfaces"
)

// getGrid asks the server for /api/grid?query and returns the status and
// the body.
func getGrid(t *testing.T, base, query string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(base + "/api/grid?" + query)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

// wantHeight is heightGrid's transform written out again from its doc
// comment, unrounded.
func wantHeight(f, lo, hi float64, scale string) float64 {
	t := math.Min(1, math.Max(0, (f-lo)/(hi-lo)))
	if scale == "log" {
		return math.Log10(1+1e4*t) / math.Log10(1+1e4)
	}
	return t
}

// TestGridHeights checks /api/grid against the surfaces themselves: at every
// node the height is the documented transform of f there, Min and Max are
// the least and greatest values at the nodes, and the scale is log exactly
// for the surfaces whose contour levels are log-spaced.
func TestGridHeights(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for _, tc := range []struct {
		surface, query, scale string
		n                     int
	}{
		{"rosenbrock", "surface=rosenbrock", "log", defaultGridNodes},
		{"saddle", "surface=saddle&n=9", "linear", 9},
		{"beale", "surface=beale&n=128", "log", 128},
		{"monkey-saddle", "surface=monkey-saddle&n=2", "linear", 2},
	} {
		t.Run(tc.surface, func(t *testing.T) {
			t.Parallel()
			code, body := getGrid(t, srv.URL, tc.query)
			if code != http.StatusOK {
				t.Fatalf("%d %s", code, body)
			}
			var g heightGrid
			if err := json.Unmarshal(body, &g); err != nil {
				t.Fatal(err)
			}
			s, _ := surfaces.Lookup(tc.surface)
			v := s.View
			if g.View != [4]float64{v.XMin, v.XMax, v.YMin, v.YMax} || g.N != tc.n || len(g.Z) != tc.n*tc.n || g.Scale != tc.scale {
				t.Fatalf("view %v, n %d, %d heights, scale %s; want %v, %d, %d, %s", g.View, g.N, len(g.Z), g.Scale, v, tc.n, tc.n*tc.n, tc.scale)
			}
			node := func(lo, hi float64, i int) float64 {
				if i == tc.n-1 {
					return hi
				}
				return lo + float64(i)*(hi-lo)/float64(tc.n-1)
			}
			values := make([]float64, 0, tc.n*tc.n)
			for j := range tc.n {
				for i := range tc.n {
					values = append(values, s.Value(surfaces.Point{node(v.XMin, v.XMax, i), node(v.YMin, v.YMax, j)}))
				}
			}
			if lo, hi := slices.Min(values), slices.Max(values); g.Min != lo || g.Max != hi {
				t.Errorf("min %g, max %g; the nodes' values run from %g to %g", g.Min, g.Max, lo, hi)
			}
			for k, f := range values {
				// Heights are rounded to four decimals.
				if want := wantHeight(f, g.Min, g.Max, tc.scale); math.Abs(g.Z[k]-want) > 0.5e-4+1e-12 {
					t.Fatalf("node %d: f = %g, height %g, want %g", k, f, g.Z[k], want)
				}
			}
		})
	}
}

// TestGridMonotone checks that the transform keeps the order of values, on
// both scales: strictly before rounding, and as far as rounding allows in
// the answer, where a lower value never stands higher.
func TestGridMonotone(t *testing.T) {
	t.Parallel()
	for _, scale := range []string{"linear", "log"} {
		h := heightGrid{Scale: scale, Min: -3, Max: 5}
		if h.height(-3) != 0 || h.height(5) != 1 || h.height(-10) != 0 || h.height(9) != 1 {
			t.Errorf("%s: heights %g %g at min and max, %g %g beyond them; want 0 1 0 1", scale, h.height(-3), h.height(5), h.height(-10), h.height(9))
		}
		prev := h.height(-3)
		for k := 1; k <= 100000; k++ {
			z := h.height(-3 + 8*float64(k)/100000)
			if !(z > prev) {
				t.Fatalf("%s: height %g after %g at step %d", scale, z, prev, k)
			}
			prev = z
		}
	}
	srv := newTestServer(t)
	for _, name := range []string{"rosenbrock", "himmelblau"} {
		_, body := getGrid(t, srv.URL, "surface="+name)
		var g heightGrid
		if err := json.Unmarshal(body, &g); err != nil {
			t.Fatal(err)
		}
		s, _ := surfaces.Lookup(name)
		grid := contour.Sample(s.Value, s.View, g.N, g.N)
		order := make([]int, len(grid.Values))
		for k := range order {
			order[k] = k
		}
		slices.SortFunc(order, func(a, b int) int { return cmp.Compare(grid.Values[a], grid.Values[b]) })
		for k := 1; k < len(order); k++ {
			if g.Z[order[k]] < g.Z[order[k-1]] {
				t.Fatalf("%s: f = %g stands at %g, below f = %g at %g", name,
					grid.Values[order[k]], g.Z[order[k]], grid.Values[order[k-1]], g.Z[order[k-1]])
			}
		}
	}
}

// TestGridNonFinite checks that values JSON cannot hold are clipped: +Inf to
// the top, −Inf to the bottom, NaN to the bottom and listed as undefined, and
// that a range wider than the largest float64 does not overflow.
func TestGridNonFinite(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for _, tc := range []struct {
		expr      string
		z         []float64
		undefined []int
	}{
		// x = −1, 0, 1 in each row: 1/0 = +Inf.
		{"1/x", []float64{0, 1, 1, 0, 1, 1, 0, 1, 1}, nil},
		// sqrt of a negative number is NaN; sqrt(0) = 0 is the least value.
		{"sqrt(x)", []float64{0, 0, 1, 0, 0, 1, 0, 0, 1}, []int{0, 3, 6}},
		// log(0) = −Inf; log(1) = 0 is the only finite value: flat.
		{"log(x)", []float64{0, 0, 0, 0, 0, 0, 0, 0, 0}, []int{0, 3, 6}},
	} {
		code, body := getGrid(t, srv.URL, "surface=custom&view=-1,1,-1,1&n=3&expr="+url.QueryEscape(tc.expr))
		if code != http.StatusOK {
			t.Fatalf("%s: %d %s", tc.expr, code, body)
		}
		if s := string(body); strings.Contains(s, "NaN") || strings.Contains(s, "Inf") {
			t.Errorf("%s: %s", tc.expr, body)
		}
		var g heightGrid
		if err := json.Unmarshal(body, &g); err != nil {
			t.Fatalf("%s: %v in %s", tc.expr, err, body)
		}
		if !slices.Equal(g.Z, tc.z) || !slices.Equal(g.Undefined, tc.undefined) {
			t.Errorf("%s: heights %v, undefined %v; want %v, %v", tc.expr, g.Z, g.Undefined, tc.z, tc.undefined)
		}
	}
	huge := heights(contour.Grid{View: surfaces.View{XMin: 0, XMax: 1, YMin: 0, YMax: 1}, NX: 2, NY: 2,
		Values: []float64{-math.MaxFloat64, 0, math.MaxFloat64, math.NaN()}})
	if !slices.Equal(huge.Z, []float64{0, 0.5, 1, 0}) || !slices.Equal(huge.Undefined, []int{3}) {
		t.Errorf("values from −MaxFloat64 to MaxFloat64: heights %v, undefined %v", huge.Z, huge.Undefined)
	}
}

// TestGridBadRequests checks that each bad parameter gets 400 and a message
// naming it and what it may be.
func TestGridBadRequests(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for _, tc := range []struct{ query, want string }{
		{"surface=bowl&n=1", "n: must be a whole number of nodes from 2 to 128"},
		{"surface=bowl&n=129", "n: must be a whole number of nodes from 2 to 128"},
		{"surface=bowl&n=2.5", "n: must be a whole number"},
		{"surface=bowl&n=many", "n: must be a whole number"},
		{"surface=custom&expr=x&view=1,0,0,1", "view: "},
		{"surface=custom&expr=x&view=0,1,0", "view: "},
		{"surface=custom&expr=x&view=0,1,0,nan", "view: "},
		{"surface=custom&expr=x%2B", "expr: "},
		{"surface=hills", "surface: unknown surface"},
		{"surface=bowl&normalize=maybe", "normalize: "},
	} {
		code, body := getGrid(t, srv.URL, tc.query)
		var e struct{ Error string }
		if err := json.Unmarshal(body, &e); err != nil || code != http.StatusBadRequest || !strings.HasPrefix(e.Error, tc.want) {
			t.Errorf("%s: %d %s, want 400 and %q", tc.query, code, body, tc.want)
		}
	}
}
