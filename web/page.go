package web

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"saddlepoint/engine"
	"saddlepoint/scenarios"
	"saddlepoint/surfaces"
	"saddlepoint/web/templates"
)

// clientData is what the page's scripts are given as JSON.
type clientData struct {
	Surfaces     []surfaceInfo   `json:"surfaces"`
	Optimizers   []optimizerInfo `json:"optimizers"`
	MaxSteps     int             `json:"maxSteps"`
	DefaultSteps int             `json:"defaultSteps"`
}

// handlePage renders the main page in the state its URL describes (see
// pageState).
func (s *Server) handlePage(w http.ResponseWriter, r *http.Request) {
	st, problem := parsePageState(r.URL.Query())
	surface := st.surface
	v := surface.View
	page := templates.Page{
		Surface:   surfaceOption(surface),
		Expr:      st.spec.Expr,
		View:      [4]string{formatFloat(v.XMin), formatFloat(v.XMax), formatFloat(v.YMin), formatFloat(v.YMax)},
		Normalize: st.spec.Normalize,
		Steps:     st.steps,
		MaxSteps:  engine.MaxStepLimit,
		Start:     [2]string{formatFloat(st.start[0]), formatFloat(st.start[1])},
		Plot:      s.plots.plot(surface, st.start, 0),
		Cloud: templates.Cloud{
			N: st.cloud.N, MaxN: maxStarts, Distribution: st.cloud.Distribution,
			Scale: formatFloat(st.cloud.Scale), Seed: st.cloud.Seed,
		},
		Problem: problem,
		Display: pageDisplay(r.URL.Query()),
		ClientData: clientData{
			Surfaces:     surfaceCatalogue(),
			Optimizers:   optimizerCatalogue(),
			MaxSteps:     engine.MaxStepLimit,
			DefaultSteps: engine.DefaultSteps,
		},
	}
	for _, o := range plotOverlays {
		page.Overlays = append(page.Overlays, templates.Overlay{Name: o.name, Label: o.label, On: slices.Contains(st.overlays, o.name), Default: o.on})
	}
	for _, sf := range surfaces.All() {
		page.Surfaces = append(page.Surfaces, surfaceOption(sf))
	}
	for _, sc := range scenarios.All() {
		page.Scenarios = append(page.Scenarios, templates.ScenarioLink{ID: sc.ID, Section: sc.Section, Title: sc.Title, URL: sc.URL})
		if sameState(sc.URL, r.URL) {
			page.Scenario = sc.ID
		}
	}
	for _, m := range engine.Methods() {
		ctl := templates.OptimizerControl{Name: m.Name, Title: m.Title}
		ticked, checked := st.optimizer(m.Name)
		values := ticked.params
		ctl.Checked = checked
		ctl.Stages, ctl.Sigma0 = "0", "1"
		if k := ticked.continuation; k != nil {
			ctl.Stages, ctl.Sigma0 = strconv.Itoa(k.Stages), formatFloat(k.Sigma0)
		}
		for _, p := range m.Params {
			ctl.Params = append(ctl.Params, paramControl(m.Name, p, values))
		}
		page.Optimizers = append(page.Optimizers, ctl)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := templates.Index(page).Render(r.Context(), w); err != nil {
		s.log.Error("rendering the page", "err", err)
	}
}

// handlePlot renders the contour plot of a surface alone, as an SVG fragment
// for the page to swap in; the surface is named as in the page's URL
// (surface, expr, view, normalize), ?sigma= blurs it as a continuation
// stage does, and ?start=x,y marks the start point,
// by default the surface's. A surface that cannot be drawn, such as a
// mistyped expression, gets 400 and a message naming the field.
func (s *Server) handlePlot(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	surface, err := surfaceFromQuery(q)
	if err != nil {
		writeRequestError(w, err)
		return
	}
	start := surface.Start
	if v := q.Get("start"); v != "" {
		p, err := parsePoint(v)
		if err != nil {
			writeError(w, http.StatusBadRequest, "start: "+err.Error())
			return
		}
		start = p
	}
	sigma := 0.0
	if v := q.Get("sigma"); v != "" {
		sigma, err = strconv.ParseFloat(v, 64)
		if err != nil || !(sigma >= 0 && sigma <= surfaces.MaxBlurSigma) {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("sigma: must be a number from 0 to %g, got %q", surfaces.MaxBlurSigma, v))
			return
		}
	}
	s.writePlotSVG(w, r, surface, start, sigma)
}

// paramControl describes the input of parameter p of optimizer name,
// showing its value in values if there is one, else its default.
func paramControl(name string, p engine.Param, values engine.Params) templates.ParamControl {
	c := templates.ParamControl{
		Name: p.Name, Kind: p.Kind.String(), About: p.About, Advanced: p.Advanced,
		Choices: p.Choices, InputID: "param-" + name + "-" + p.Name,
	}
	value, ok := values[p.Name]
	if !ok {
		value = p.Default
	}
	switch d := value.(type) {
	case float64:
		c.Value = formatFloat(d)
		c.Min, c.Max = formatFloat(p.Min), formatFloat(p.Max)
	case bool:
		c.Value = strconv.FormatBool(d)
	case string:
		c.Value = d
	}
	return c
}

func surfaceOption(s surfaces.Surface) templates.SurfaceOption {
	return templates.SurfaceOption{Name: s.Name, Formula: s.Formula, About: s.About}
}

// parsePoint reads "x,y" with both coordinates finite and within the
// divergence bound.
func parsePoint(q string) (surfaces.Point, error) {
	xs, ys, found := strings.Cut(q, ",")
	if !found {
		return surfaces.Point{}, errString("expected two numbers x,y")
	}
	var p surfaces.Point
	for i, str := range []string{xs, ys} {
		v, err := strconv.ParseFloat(strings.TrimSpace(str), 64)
		if err != nil || !(v >= -engine.DivergenceBound && v <= engine.DivergenceBound) {
			return p, errString("expected two numbers x,y between -1e6 and 1e6")
		}
		p[i] = v
	}
	return p, nil
}

type errString string

func (e errString) Error() string { return string(e) }

func formatFloat(v float64) string {
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// sameState reports whether the page URL u shows the state of the link, so
// the scenario menu can name the scenario a page was opened from, however
// it is displayed.
func sameState(link string, u *url.URL) bool {
	l, err := url.Parse(link)
	if err != nil {
		return false
	}
	q := u.Query()
	for _, p := range displayParams {
		q.Del(p)
	}
	return l.Path == u.Path && reflect.DeepEqual(l.Query(), q)
}
