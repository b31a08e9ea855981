package web

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
	"saddlepoint/surfaces/expression"
)

// customSurface is the name under which a request types its own function.
const customSurface = "custom"

// surfaceSpec names the surface of a run, a plot or a page: a catalogue
// surface, the least-squares problem with its features normalised, or a
// function typed by the user, each shown in its own view or in View.
type surfaceSpec struct {
	Name      string
	Expr      string
	View      []float64 // [xmin, xmax, ymin, ymax]; nil for the surface's own
	Normalize bool      // least-squares only
}

// Bounds of a view, so that it can be drawn: minViewSide bounds its sides
// from below, relative to the largest bound's size, as a narrower view
// would have contour grid nodes that float64 cannot tell apart; and
// maxViewAspect bounds how much longer one side may be than the other, as
// both axes share one scale and a longer view would be drawn as a sliver.
const (
	minViewSide   = 1e-6
	maxViewAspect = 20
)

// surfaceNames lists what a request's surface may be, for messages.
func surfaceNames() string {
	return strings.Join(append(surfaces.Names(), customSurface), ", ")
}

// resolve returns the surface spec names. Its errors are request errors that
// name the field (surface, expr, view or normalize) and what is allowed.
func (spec surfaceSpec) resolve() (surfaces.Surface, error) {
	if spec.Name == "" {
		return surfaces.Surface{}, badRequest("surface: required, one of %s", surfaceNames())
	}
	if spec.Name != customSurface {
		if spec.Expr != "" {
			return surfaces.Surface{}, badRequest(`expr: only with "surface": "custom"`)
		}
		if spec.Normalize && spec.Name != "least-squares" {
			return surfaces.Surface{}, badRequest(`normalize: only with "surface": "least-squares"`)
		}
		s, ok := surfaces.Lookup(spec.Name)
		if spec.Normalize {
			s = surfaces.LeastSquaresSurface(true)
		} else if !ok {
			return surfaces.Surface{}, badRequest("surface: unknown surface %q, expected one of %s", spec.Name, surfaceNames())
		}
		if spec.View != nil {
			v, err := checkView(spec.View)
			if err != nil {
				return surfaces.Surface{}, err
			}
			s.View = v
		}
		return s, nil
	}
	if spec.Expr == "" {
		return surfaces.Surface{}, badRequest(`expr: required with "surface": "custom", a function of x and y such as "x^2 + 3*y^2"`)
	}
	var view surfaces.View
	if spec.View != nil {
		v, err := checkView(spec.View)
		if err != nil {
			return surfaces.Surface{}, err
		}
		view = v
	}
	s, err := expression.Surface(spec.Expr, view)
	if err != nil {
		var exprErr *expression.Error
		if errors.As(err, &exprErr) {
			return surfaces.Surface{}, badRequest("expr: %s", exprErr.Message)
		}
		return surfaces.Surface{}, badRequest("view: %s", err.Error())
	}
	return s, nil
}

// checkView reads a view [xmin, xmax, ymin, ymax]. Its errors are request
// errors that name the field and say what views are allowed.
func checkView(c []float64) (surfaces.View, error) {
	if len(c) != 4 {
		return surfaces.View{}, badRequest("view: must be [xmin, xmax, ymin, ymax], got %d numbers", len(c))
	}
	v := surfaces.View{XMin: c[0], XMax: c[1], YMin: c[2], YMax: c[3]}
	largest := 0.0
	for _, b := range c {
		if !(math.Abs(b) <= engine.DivergenceBound) {
			return v, badRequest("view: each bound must be a number from %g to %g, got %s", -engine.DivergenceBound, engine.DivergenceBound, viewText(c))
		}
		largest = max(largest, math.Abs(b))
	}
	dx, dy := v.XMax-v.XMin, v.YMax-v.YMin
	switch {
	case !(dx > 0 && dy > 0):
		return v, badRequest("view: want xmin < xmax and ymin < ymax, got %s", viewText(c))
	case dx < minViewSide*largest || dy < minViewSide*largest:
		return v, badRequest("view: each side must be at least %g times the largest bound's size, got %s", minViewSide, viewText(c))
	case dx > maxViewAspect*dy || dy > maxViewAspect*dx:
		return v, badRequest("view: one side may be at most %d times the other, as both axes share one scale; got %g wide and %g tall", maxViewAspect, dx, dy)
	}
	return v, nil
}

// viewText formats view bounds for a message.
func viewText(c []float64) string {
	parts := make([]string, len(c))
	for i, b := range c {
		parts[i] = strconv.FormatFloat(b, 'g', -1, 64)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// surfaceFromQuery resolves the surface a plot or grid URL names (surface,
// expr, view, normalize; the default surface when it names none).
func surfaceFromQuery(q url.Values) (surfaces.Surface, error) {
	spec, err := surfaceSpecFromQuery(q, defaultSurface)
	if err != nil {
		return surfaces.Surface{}, err
	}
	return spec.resolve()
}

// surfaceSpecFromQuery reads a surface spec from a page or plot URL:
// ?surface=custom&expr=x^2%2By^2&view=-3,3,-3,3, or ?surface=least-squares&normalize=1.
func surfaceSpecFromQuery(q url.Values, defaultName string) (surfaceSpec, error) {
	spec := surfaceSpec{Name: q.Get("surface"), Expr: q.Get("expr")}
	if spec.Name == "" {
		spec.Name = defaultName
	}
	if v := q.Get("view"); v != "" {
		parts := strings.Split(v, ",")
		for _, p := range parts {
			f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
			if err != nil {
				return spec, badRequest("view: expected four numbers xmin,xmax,ymin,ymax, got %q", v)
			}
			spec.View = append(spec.View, f)
		}
	}
	if v := q.Get("normalize"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return spec, badRequest("normalize: expected true or false, got %q", v)
		}
		spec.Normalize = b
	}
	return spec, nil
}

// expressionCheck answers GET /api/expression: whether a typed function
// parses, and if not, what is wrong and where. It is a question about the
// text, so a mistake is a 200 answer, not a failed request.
type expressionCheck struct {
	OK      bool   `json:"ok"`
	Formula string `json:"formula,omitempty"` // the expression in normal form
	Error   string `json:"error,omitempty"`
	Column  int    `json:"column,omitempty"` // 1-based; 0 when it has none
}

func (s *Server) handleExpression(w http.ResponseWriter, r *http.Request) {
	e, err := expression.Parse(r.URL.Query().Get("expr"))
	if err != nil {
		var exprErr *expression.Error
		if !errors.As(err, &exprErr) {
			writeError(w, http.StatusInternalServerError, "internal error: "+err.Error())
			return
		}
		writeJSON(w, http.StatusOK, expressionCheck{Error: exprErr.Message, Column: exprErr.Column})
		return
	}
	writeJSON(w, http.StatusOK, expressionCheck{OK: true, Formula: e.String()})
}
