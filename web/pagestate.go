package web

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

// pageState is the state of the page as its URL holds it, so that a link
// reproduces a run exactly:
//
//	/?surface=rosenbrock&start=-1.2,1&steps=500&opt=adam(lr=0.01)&opt=momentum(lr=0.001,average=uniform)
//	/?surface=deep-linear&starts=100,normal,0.5,1&opt=sgd
//	/?surface=custom&expr=x^4-x^2%2By^2&view=-2,2,-2,2&opt=adam
//	/?surface=least-squares&normalize=true&opt=sgd
//	/?surface=rosenbrock&view=0,1.5,0.25,1.75&overlays=grad,labels&opt=adam
//
// where starts is n,distribution,scale,seed of a cloud of starts around the
// start point (engine.StartCloud), view is the window shown (every surface
// has its own) and overlays lists the plot's overlays shown, among
// plotOverlays ("overlays=" for none).
//
// Every part is optional; parameters left out of an opt take their
// defaults. The page's scripts write the same form back after each run.
type pageState struct {
	spec       surfaceSpec
	surface    surfaces.Surface
	start      surfaces.Point
	steps      int
	optimizers []pageOptimizer   // in the URL's order
	cloud      engine.StartCloud // N = 0: a single start
	overlays   []string          // shown, in plotOverlays' order
}

// plotOverlays lists the overlays a page can show over its plot, in the
// order of their checkboxes, with whether a page shows them unless its URL
// says otherwise: those that explain a run by default, and the busier
// gradient field and velocity arrows when asked for.
var plotOverlays = []struct {
	name, label string
	on          bool
}{
	{"grad", "gradient field", false},
	{"labels", "contour labels", true},
	{"velocity", "velocity arrows", false},
	{"probes", "line-search probes", true},
	{"averages", "Polyak averages", true},
	{"minima", "minima", true},
}

// pageOptimizer is one ticked optimizer with its resolved parameters and its
// continuation, if any: in the URL, stages=k,sigma0=s among its parameters.
type pageOptimizer struct {
	method       engine.Method
	params       engine.Params
	continuation *continuation
}

// The page's first state: a ravine, where plain gradient descent zig-zags
// and momentum does not.
const (
	defaultSurface = "ravine"
	defaultOpts    = "sgd momentum"
)

// parsePageState reads the page's state from its query. A part it cannot
// read keeps its default and is reported in problem, which the page shows,
// so a mistyped link still opens a working page.
func parsePageState(q url.Values) (st pageState, problem string) {
	report := func(format string, args ...any) {
		if problem == "" {
			problem = fmt.Sprintf(format, args...)
		}
	}
	spec, err := surfaceSpecFromQuery(q, defaultSurface)
	var s surfaces.Surface
	if err == nil {
		s, err = spec.resolve()
	}
	if err != nil && spec.View != nil {
		// A view that cannot be drawn leaves the surface in its own.
		report("%v", err)
		spec.View = nil
		s, err = spec.resolve()
	}
	if err != nil {
		report("%v", err)
		spec = surfaceSpec{Name: defaultSurface}
		s, _ = spec.resolve()
	}
	st.spec = spec
	st.surface, st.start, st.steps = s, s.Start, engine.DefaultSteps

	if v := q.Get("start"); v != "" {
		p, err := parsePoint(v)
		if err != nil {
			report("start: %v", err)
		} else {
			st.start = p
		}
	}
	if v := q.Get("steps"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > engine.MaxStepLimit {
			report("steps: must be a whole number from 1 to %d, got %q", engine.MaxStepLimit, v)
		} else {
			st.steps = n
		}
	}
	v := st.surface.View
	st.cloud = engine.StartCloud{Distribution: "normal", Scale: max(v.XMax-v.XMin, v.YMax-v.YMin) / 10, Seed: 1}
	if c := q.Get("starts"); c != "" {
		cloud, err := parseCloud(c)
		if err != nil {
			report("starts: %v", err)
		} else {
			st.cloud = cloud
		}
	}
	for _, o := range plotOverlays {
		if o.on {
			st.overlays = append(st.overlays, o.name)
		}
	}
	if q.Has("overlays") {
		shown, err := parseOverlays(q.Get("overlays"))
		if err != nil {
			report("overlays: %v", err)
		} else {
			st.overlays = shown
		}
	}
	opts := q["opt"]
	if len(opts) == 0 {
		opts = strings.Fields(defaultOpts)
	}
	for i, v := range opts {
		o, err := parsePageOptimizer(v)
		if err != nil {
			report("opt[%d]: %v", i, err)
			continue
		}
		if st.has(o.method.Name) {
			report("opt[%d]: %s is listed twice; the page shows each optimizer once", i, o.method.Name)
			continue
		}
		st.optimizers = append(st.optimizers, o)
	}
	return st, problem
}

// has reports whether the optimizer is ticked.
func (st pageState) has(name string) bool {
	_, ok := st.params(name)
	return ok
}

// params returns the parameters of a ticked optimizer.
func (st pageState) params(name string) (engine.Params, bool) {
	o, ok := st.optimizer(name)
	return o.params, ok
}

// optimizer returns a ticked optimizer.
func (st pageState) optimizer(name string) (pageOptimizer, bool) {
	for _, o := range st.optimizers {
		if o.method.Name == name {
			return o, true
		}
	}
	return pageOptimizer{}, false
}

// parseOverlays reads a comma-separated list of overlays, such as
// "grad,labels", into plotOverlays' order.
func parseOverlays(v string) ([]string, error) {
	var names []string
	for _, o := range plotOverlays {
		names = append(names, o.name)
	}
	asked := strings.Split(v, ",")
	for _, a := range asked {
		if a != "" && !slices.Contains(names, a) {
			return nil, fmt.Errorf("unknown overlay %q, expected a comma-separated list of %s (or nothing)", a, strings.Join(names, ", "))
		}
	}
	var shown []string
	for _, n := range names {
		if slices.Contains(asked, n) {
			shown = append(shown, n)
		}
	}
	return shown, nil
}

// parsePageOptimizer reads "adam" or "adam(lr=0.01,bias_correction=false)".
func parsePageOptimizer(v string) (pageOptimizer, error) {
	name, args, hasArgs := strings.Cut(v, "(")
	m, ok := engine.LookupMethod(name)
	if !ok {
		return pageOptimizer{}, fmt.Errorf("unknown optimizer %q, expected one of %s", name, strings.Join(engine.MethodNames(), ", "))
	}
	given := map[string]any{}
	var cont *continuation
	if hasArgs {
		if !strings.HasSuffix(args, ")") {
			return pageOptimizer{}, fmt.Errorf("%s: expected ')' at the end of %q", name, v)
		}
		args = strings.TrimSuffix(args, ")")
		for _, kv := range strings.Split(args, ",") {
			if kv == "" {
				continue
			}
			key, val, found := strings.Cut(kv, "=")
			if !found {
				return pageOptimizer{}, fmt.Errorf("%s: expected name=value, got %q", name, kv)
			}
			switch key {
			case "stages", "sigma0":
				if cont == nil {
					cont = &continuation{Sigma0: 1}
				}
				f, err := strconv.ParseFloat(val, 64)
				if err != nil {
					return pageOptimizer{}, fmt.Errorf("%s: continuation %s must be a number, got %q", name, key, val)
				}
				if key == "stages" {
					cont.Stages = int(f)
				} else {
					cont.Sigma0 = f
				}
				continue
			}
			given[key] = typedValue(m, key, val)
		}
	}
	params, err := m.Resolve(given)
	if err != nil {
		return pageOptimizer{}, err
	}
	if cont != nil {
		if err := cont.check(); err != nil {
			return pageOptimizer{}, fmt.Errorf("%s: %v", name, err)
		}
	}
	return pageOptimizer{method: m, params: params, continuation: cont}, nil
}

// typedValue reads a parameter's value from text as its kind wants it; text
// that does not read as that kind is passed on as a string, for Resolve to
// refuse with its usual message.
func typedValue(m engine.Method, key, val string) any {
	for _, p := range m.Params {
		if p.Name != key {
			continue
		}
		switch p.Kind {
		case engine.Number, engine.Integer:
			if f, err := strconv.ParseFloat(val, 64); err == nil {
				return f
			}
		case engine.Bool:
			if b, err := strconv.ParseBool(val); err == nil {
				return b
			}
		}
	}
	return val
}

// parseCloud reads "n,distribution,scale,seed".
func parseCloud(v string) (engine.StartCloud, error) {
	parts := strings.Split(v, ",")
	bad := fmt.Errorf("expected n,distribution,scale,seed such as 100,normal,0.5,1 (n up to %d), got %q", maxStarts, v)
	if len(parts) != 4 {
		return engine.StartCloud{}, bad
	}
	n, errN := strconv.Atoi(parts[0])
	scale, errS := strconv.ParseFloat(parts[2], 64)
	seed, errK := strconv.ParseUint(parts[3], 10, 64)
	if errN != nil || errS != nil || errK != nil || n < 0 || n > maxStarts ||
		!(scale >= 0 && scale <= engine.DivergenceBound) || !slices.Contains(engine.Distributions, parts[1]) {
		return engine.StartCloud{}, bad
	}
	return engine.StartCloud{N: n, Distribution: parts[1], Scale: scale, Seed: seed}, nil
}
