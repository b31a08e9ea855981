package web

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"saddlepoint/engine"
	"saddlepoint/scenarios"
	"saddlepoint/surfaces"
	"saddlepoint/web/templates"
)

// TestRuleForEveryOptimizer renders the MathML rule of every optimizer of
// the roster and checks it is there and well formed: a <math> element the
// HTML parser keeps in the MathML namespace with rows of content, whose
// markup is also well-formed XML, and a caption.
func TestRuleForEveryOptimizer(t *testing.T) {
	t.Parallel()
	for _, m := range engine.Methods() {
		t.Run(m.Name, func(t *testing.T) {
			t.Parallel()
			if !templates.HasRule(m.Name) {
				t.Fatalf("no update rule for %s", m.Name)
			}
			markup := renderRule(t, m.Name)
			doc, err := html.Parse(strings.NewReader(markup))
			if err != nil {
				t.Fatal(err)
			}
			maths := findAll(doc, func(n *html.Node) bool { return n.Data == "math" })
			if len(maths) != 1 {
				t.Fatalf("%d <math> elements, want 1:\n%s", len(maths), markup)
			}
			math := maths[0]
			if math.Namespace != "math" || attr(math, "display") != "block" {
				t.Errorf("<math> in namespace %q with display %q, want MathML and block", math.Namespace, attr(math, "display"))
			}
			for n := range math.Descendants() {
				if n.Type == html.ElementNode && n.Namespace != "math" {
					t.Errorf("<%s> inside <math> is not MathML: the markup broke out of the formula", n.Data)
				}
			}
			rows := findAll(math, func(n *html.Node) bool { return n.Data == "mtr" })
			idents := findAll(math, func(n *html.Node) bool { return n.Data == "mi" && strings.TrimSpace(text(n)) != "" })
			if len(rows) == 0 || len(idents) < 3 {
				t.Errorf("%d rows and %d identifiers: the rule has no content", len(rows), len(idents))
			}
			checkXML(t, markup[strings.Index(markup, "<math"):strings.Index(markup, "</math>")+len("</math>")])
			captions := findAll(doc, func(n *html.Node) bool { return n.Data == "figcaption" })
			if len(captions) != 1 || strings.TrimSpace(text(captions[0])) == "" {
				t.Errorf("no caption relating the symbols to the parameters")
			}
			for _, p := range m.Params {
				if !p.Advanced && !strings.Contains(text(captions[0]), p.Name) {
					t.Errorf("caption %q does not name parameter %s", text(captions[0]), p.Name)
				}
			}
		})
	}
}

func TestRuleForUnknownOptimizerIsEmpty(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"", "adamax", "SGD", "sgd "} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := renderRule(t, name); got != "" {
				t.Errorf("Rule(%q) rendered %q, want nothing", name, got)
			}
			if templates.HasRule(name) {
				t.Errorf("HasRule(%q) is true", name)
			}
		})
	}
}

func renderRule(tb testing.TB, name string) string {
	tb.Helper()
	var b strings.Builder
	if err := templates.Rule(name).Render(context.Background(), &b); err != nil {
		tb.Fatal(err)
	}
	return b.String()
}

// checkXML fails unless markup is well-formed XML: every element closed, in
// order.
func checkXML(tb testing.TB, markup string) {
	tb.Helper()
	dec := xml.NewDecoder(strings.NewReader(markup))
	dec.Strict = true
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			tb.Fatalf("the MathML is not well formed: %v\n%s", err, markup)
		}
	}
}

func TestScenariosEndpoint(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	var got []map[string]any
	getJSON(t, srv.URL+"/api/scenarios", &got)
	want := scenarios.All()
	if len(got) < 15 || len(got) != len(want) {
		t.Fatalf("%d scenarios, want the catalogue's %d (at least 15)", len(got), len(want))
	}
	seen := map[string]bool{}
	for i, entry := range got {
		for _, key := range []string{"id", "title", "text", "url"} {
			if s, ok := entry[key].(string); !ok || s == "" {
				t.Errorf("scenario %d: %q is %v, want a non-empty string", i, key, entry[key])
			}
		}
		id, _ := entry["id"].(string)
		if seen[id] {
			t.Errorf("scenario %d: id %q is used twice", i, id)
		}
		seen[id] = true
		if id != want[i].ID || entry["url"] != want[i].URL {
			t.Errorf("scenario %d is %v at %v, want %s at %s", i, id, entry["url"], want[i].ID, want[i].URL)
		}
		opts, ok := entry["optimizers"].([]any)
		if !ok || len(opts) != len(want[i].Optimizers) {
			t.Errorf("scenario %s: optimizers %v, want %v", id, entry["optimizers"], want[i].Optimizers)
		}
	}
}

// TestScenarioURLsLoad opens every scenario's URL: the page must read its
// state without a problem and tick exactly the scenario's optimizers.
func TestScenarioURLsLoad(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for _, sc := range scenarios.All() {
		t.Run(sc.ID, func(t *testing.T) {
			t.Parallel()
			u, err := url.Parse(sc.URL)
			if err != nil {
				t.Fatal(err)
			}
			st, problem := parsePageState(u.Query())
			if problem != "" {
				t.Errorf("parsePageState: %s", problem)
			}
			var names []string
			for _, o := range st.optimizers {
				names = append(names, o.method.Name)
			}
			if !slices.Equal(names, sc.Optimizers) {
				t.Errorf("the URL ticks %v, the scenario lists %v", names, sc.Optimizers)
			}

			doc := fetchHTML(t, srv.URL+sc.URL)
			errs := findAll(doc, byID("error"))
			if len(errs) != 1 {
				t.Fatalf("%d #error elements, want 1", len(errs))
			}
			if msg := strings.TrimSpace(text(errs[0])); msg != "" {
				t.Errorf("the page reports a problem with the URL: %s", msg)
			}
			var ticked []string
			for _, box := range findAll(doc, func(n *html.Node) bool { return n.Data == "input" && attr(n, "name") == "optimizer" }) {
				if _, ok := attrOK(box, "checked"); ok {
					ticked = append(ticked, attr(box, "value"))
				}
			}
			want := slices.Clone(sc.Optimizers)
			sort.Strings(want)
			sort.Strings(ticked)
			if !slices.Equal(ticked, want) {
				t.Errorf("the page ticks %v, want %v", ticked, want)
			}
		})
	}
}

// TestScenariosPage checks the library page: a card per scenario with a
// link that opens it, and the MathML rule of each optimizer it involves.
func TestScenariosPage(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	resp, err := http.Get(srv.URL + "/scenarios")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type %q, want HTML", ct)
	}
	doc := fetchHTML(t, srv.URL+"/scenarios")
	styles := findAll(doc, func(n *html.Node) bool { return n.Data == "link" && attr(n, "href") == "/static/css/scenarios.css" })
	if len(styles) != 1 {
		t.Errorf("the page links scenarios.css %d times, want once", len(styles))
	}
	for _, sc := range scenarios.All() {
		t.Run(sc.ID, func(t *testing.T) {
			t.Parallel()
			cards := findAll(doc, byID(sc.ID))
			if len(cards) != 1 || cards[0].Data != "article" {
				t.Fatalf("no <article id=%q>", sc.ID)
			}
			card := cards[0]
			links := findAll(card, func(n *html.Node) bool { return n.Data == "a" && attr(n, "href") == sc.URL })
			if len(links) != 1 {
				t.Errorf("%d links to %s, want 1", len(links), sc.URL)
			}
			if !strings.Contains(text(card), sc.Text) || !strings.Contains(text(card), sc.Title) {
				t.Error("the card does not show the scenario's title and text")
			}
			for _, name := range sc.Optimizers {
				rules := findAll(card, func(n *html.Node) bool { return attr(n, "data-optimizer") == name })
				if len(rules) != 1 {
					t.Errorf("%d rules for %s, want 1", len(rules), name)
					continue
				}
				if len(findAll(rules[0], func(n *html.Node) bool { return n.Data == "math" && n.Namespace == "math" })) != 1 {
					t.Errorf("the rule for %s has no <math>", name)
				}
			}
			if got := len(findAll(card, func(n *html.Node) bool { return n.Data == "math" })); got != len(sc.Optimizers) {
				t.Errorf("%d formulas, want one for each of %v", got, sc.Optimizers)
			}
		})
	}
}

// TestScenarioClaims runs every scenario as its page would (the same
// request the page's scripts send for its URL) and checks what the
// scenario's text says happens, so that a change to the engine, a surface
// or a default that breaks a lesson fails here. Every scenario must have a
// check.
func TestScenarioClaims(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for _, sc := range scenarios.All() {
		t.Run(sc.ID, func(t *testing.T) {
			t.Parallel()
			check, ok := scenarioClaims[sc.ID]
			if !ok {
				t.Fatalf("no check of what scenario %s claims; add one to scenarioClaims", sc.ID)
			}
			check(runScenario(t, srv, sc.URL))
		})
	}
}

// TestScenarioClaimsCanFail runs each scenario's check on a run that does
// not show its lesson (the same optimizers with their defaults on the
// round bowl) and expects the check to object, so that none passes
// whatever happens.
func TestScenarioClaimsCanFail(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for _, sc := range scenarios.All() {
		t.Run(sc.ID, func(t *testing.T) {
			t.Parallel()
			check, ok := scenarioClaims[sc.ID]
			if !ok {
				t.Skip("no check; TestScenarioClaims reports it")
			}
			link := "/?surface=bowl"
			for _, name := range sc.Optimizers {
				link += "&opt=" + name
			}
			rec := &claimRecorder{TB: t}
			func() {
				defer func() {
					if v := recover(); v != nil && v != errClaimFatal {
						panic(v)
					}
				}()
				check(runScenario(t, srv, link).withTB(rec))
			}()
			if !rec.failed {
				t.Errorf("the check of %s passes on %s, which does not show the lesson", sc.ID, link)
			}
		})
	}
}

// claimRecorder is a testing.TB that notes failures instead of reporting
// them. A fatal failure unwinds with errClaimFatal.
type claimRecorder struct {
	testing.TB
	failed bool
}

var errClaimFatal = errors.New("claim failed fatally")

func (c *claimRecorder) Helper()               {}
func (c *claimRecorder) Error(...any)          { c.failed = true }
func (c *claimRecorder) Errorf(string, ...any) { c.failed = true }
func (c *claimRecorder) Fatal(...any)          { c.failed = true; panic(errClaimFatal) }
func (c *claimRecorder) Fatalf(string, ...any) { c.failed = true; panic(errClaimFatal) }

// withTB returns r reporting to tb.
func (r scenarioRun) withTB(tb testing.TB) scenarioRun {
	r.tb = tb
	return r
}

// scenarioRun is the answer of /api/run for a scenario's URL.
type scenarioRun struct {
	tb   testing.TB
	srv  *httptest.Server
	runs []runResult
}

// runScenario posts the request the page sends for the state in link, with
// traces, and returns the runs.
func runScenario(tb testing.TB, srv *httptest.Server, link string) scenarioRun {
	tb.Helper()
	u, err := url.Parse(link)
	if err != nil {
		tb.Fatal(err)
	}
	st, problem := parsePageState(u.Query())
	if problem != "" {
		tb.Fatalf("%s: %s", link, problem)
	}
	req := map[string]any{
		"surface": st.spec.Name,
		"start":   []float64{st.start[0], st.start[1]},
		"steps":   st.steps,
		"trace":   true,
	}
	if st.spec.Normalize {
		req["normalize"] = true
	}
	if st.spec.Expr != "" {
		req["expr"], req["view"] = st.spec.Expr, st.spec.View
	}
	var opts []map[string]any
	for _, o := range st.optimizers {
		entry := map[string]any{"name": o.method.Name}
		for k, v := range o.params {
			entry[k] = v
		}
		if o.continuation != nil {
			entry["continuation"] = o.continuation
		}
		opts = append(opts, entry)
	}
	req["optimizers"] = opts
	if c := st.cloud; c.N > 0 {
		req["starts"] = map[string]any{"n": c.N, "distribution": c.Distribution, "scale": c.Scale, "seed": c.Seed}
	}
	body, err := json.Marshal(req)
	if err != nil {
		tb.Fatal(err)
	}
	code, data := postRun(tb, srv, string(body))
	if code != http.StatusOK {
		tb.Fatalf("%s: /api/run answered %d %s", link, code, data)
	}
	var resp runResponse
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(&resp); err != nil {
		tb.Fatal(err)
	}
	return scenarioRun{tb: tb, srv: srv, runs: resp.Runs}
}

// variant runs another URL, for a claim about what changing the scenario
// does.
func (r scenarioRun) variant(link string) scenarioRun {
	r.tb.Helper()
	return runScenario(r.tb, r.srv, link)
}

// run returns the single run of the named optimizer.
func (r scenarioRun) run(name string) runResult {
	r.tb.Helper()
	var found []runResult
	for _, x := range r.runs {
		if x.Name == name {
			found = append(found, x)
		}
	}
	if len(found) != 1 {
		r.tb.Fatalf("%d runs of %s, want 1", len(found), name)
	}
	if len(found[0].Path) == 0 {
		r.tb.Fatalf("%s has an empty path", name)
	}
	return found[0]
}

// Helpers over one run.

func last(x runResult) surfaces.Point { return x.Path[len(x.Path)-1] }
func lastLoss(x runResult) float64    { return x.Loss[len(x.Loss)-1] }
func dist(a, b surfaces.Point) float64 {
	return math.Hypot(a[0]-b[0], a[1]-b[1])
}

// firstBelow is the first iterate whose loss is below level, or -1.
func firstBelow(x runResult, level float64) int {
	return slices.IndexFunc(x.Loss, func(l float64) bool { return l < level })
}

// stepLengths lists |θₖ₊₁ − θₖ|.
func stepLengths(x runResult) []float64 {
	var out []float64
	for k := 1; k < len(x.Path); k++ {
		out = append(out, dist(x.Path[k], x.Path[k-1]))
	}
	return out
}

// meanDistance is the mean distance to p of the last n iterates.
func meanDistance(x runResult, p surfaces.Point, n int) float64 {
	tail := x.Path[len(x.Path)-n:]
	sum := 0.0
	for _, q := range tail {
		sum += dist(q, p)
	}
	return sum / float64(n)
}

func effectiveLR(tb testing.TB, x runResult, k int) surfaces.Point {
	tb.Helper()
	if k >= len(x.Trace) || x.Trace[k].State.EffectiveLR == nil {
		tb.Fatalf("%s: no effective learning rate traced at iterate %d", x.Name, k)
	}
	return *x.Trace[k].State.EffectiveLR
}

var origin = surfaces.Point{}

// scenarioClaims checks, for each scenario, the behaviour its text
// describes.
var scenarioClaims = map[string]func(r scenarioRun){
	"minibatch-noise": func(r scenarioRun) {
		constant, decayed := r.run("sgd"), r.run("momentum")
		if constant.Path[1] != decayed.Path[1] {
			r.tb.Errorf("first steps %v and %v differ: the two runs should see the same noise", constant.Path[1], decayed.Path[1])
		}
		c, d := meanDistance(constant, origin, 50), meanDistance(decayed, origin, 50)
		if c < 0.2 || d > c/3 {
			r.tb.Errorf("mean distance from the minimum over the last 50 iterates: constant lr %.3g, decaying lr %.3g; want the first above 0.2 and three times the second", c, d)
		}
		if dc, dd := dist(last(constant), origin), dist(last(decayed), origin); dd > dc/2 {
			r.tb.Errorf("final distances %.3g (constant) and %.3g (decaying): the decaying run should end several times closer", dc, dd)
		}
	},
	"cliff-clipping": func(r scenarioRun) {
		plain, clipped := r.run("sgd"), r.run("momentum")
		cliff, _ := surfaces.Lookup("cliff")
		flung := 0
		for k := 1; k < len(plain.Path); k++ {
			if plain.Path[k][0] < cliff.View.XMin && plain.Path[k-1][0] >= cliff.View.XMin {
				flung++
			}
		}
		if flung < 3 {
			r.tb.Errorf("plain SGD left the picture %d times, want again and again (3 or more)", flung)
		}
		if longest := slices.Max(stepLengths(clipped)); longest > 0.05*(1+1e-9) {
			r.tb.Errorf("clipped run took a step of %g, longer than lr × clip = 0.05", longest)
		}
		if d := dist(last(clipped), cliff.Minima[0]); d > 0.1 {
			r.tb.Errorf("clipped run ends %g from the minimum, want it at the foot of the wall (within 0.1)", d)
		}
	},
	"momentum-ravine": func(r scenarioRun) {
		sgd, mom := r.run("sgd"), r.run("momentum")
		if k := firstBelow(mom, 1e-4); k < 0 || k >= 100 {
			r.tb.Errorf("momentum first reaches a loss below 1e-4 at iterate %d, want under 100", k)
		}
		if l := lastLoss(sgd); l < 1e-2 {
			r.tb.Errorf("SGD ends at loss %g, want it well short of the minimum (above 0.01)", l)
		}
		overshoot := 0.0
		for _, p := range mom.Path {
			overshoot = max(overshoot, p[0])
		}
		if overshoot <= 0 || overshoot > 1 {
			r.tb.Errorf("momentum goes at most %g past the minimum along x, want a little overshoot", overshoot)
		}
	},
	"nesterov-lookahead": func(r scenarioRun) {
		mom, nes := r.run("momentum"), r.run("nesterov")
		km, kn := firstBelow(mom, 1e-4), firstBelow(nes, 1e-4)
		if km < 0 || kn < 0 || float64(kn) > 0.55*float64(km) {
			r.tb.Errorf("loss below 1e-4 at iterate %d (momentum) and %d (Nesterov), want Nesterov in about half as many", km, kn)
		}
		swing := func(x runResult) float64 {
			m := 0.0
			for _, p := range x.Path[10:] {
				m = max(m, math.Abs(p[1]))
			}
			return m
		}
		if sm, sn := swing(mom), swing(nes); sm < 0.3 || sn > 0.01 {
			r.tb.Errorf("largest |y| after 10 steps: momentum %g, Nesterov %g; want momentum still swinging (above 0.3) and Nesterov settled (below 0.01)", sm, sn)
		}
	},
	"symmetry-breaking": func(r scenarioRun) {
		for _, x := range r.runs {
			for k, p := range x.Path {
				if p[0] != p[1] {
					r.tb.Errorf("%s leaves the diagonal at iterate %d: %v", x.Name, k, p)
					break
				}
			}
			if l := lastLoss(x); l > 1e-6 {
				r.tb.Errorf("%s ends at loss %g, want a minimum", x.Name, l)
			}
		}
		still := r.variant("/?surface=deep-linear&start=0,0&steps=200&opt=sgd(lr=0.1)&opt=momentum(lr=0.02,momentum=0.9)&opt=adam(lr=0.05)")
		for _, x := range still.runs {
			if len(x.Path) != 1 {
				r.tb.Errorf("from the origin %s moved %d times, want not at all", x.Name, len(x.Path)-1)
			}
		}
	},
	"init-too-small": func(r scenarioRun) {
		var takeOff []int
		for _, x := range r.runs {
			p := last(x)
			if x.Status != engine.Converged || math.Abs(p[0]*p[1]-1) > 1e-3 || math.Abs(p[0]-p[1]) > 0.01 || math.Abs(math.Abs(p[0])-1) > 0.01 {
				r.tb.Errorf("run from %v ends %s at %v, want it on the hyperbola near (1, 1) or (−1, −1)", x.Path[0], x.Status, p)
			}
			takeOff = append(takeOff, firstBelow(x, 0.5))
		}
		slices.Sort(takeOff)
		if len(r.runs) != 40 || takeOff[0] < 20 {
			r.tb.Errorf("%d runs leave the plateau (loss below 0.5) after %v steps, want 40 runs, each after 20 or more", len(r.runs), takeOff)
		}
	},
	"init-too-large": func(r scenarioRun) {
		var diverged, settled []float64
		var settleSteps []int
		for _, x := range r.runs {
			far := dist(x.Path[0], origin)
			switch x.Status {
			case engine.Diverged:
				diverged = append(diverged, far)
			case engine.Converged:
				settled = append(settled, far)
				settleSteps = append(settleSteps, firstBelow(x, 1e-3))
			}
		}
		if len(diverged) < 5 || len(settled) < 15 {
			r.tb.Fatalf("%d runs diverge and %d converge, want at least 5 and 15", len(diverged), len(settled))
		}
		if slices.Min(diverged) <= slices.Max(settled) {
			r.tb.Errorf("a run from %g away diverged while one from %g away converged: the farthest starts should be the ones thrown off", slices.Min(diverged), slices.Max(settled))
		}
		slices.Sort(settleSteps)
		if settleSteps[len(settleSteps)/2] > 10 {
			r.tb.Errorf("converging runs reach a loss below 0.001 after %v steps, want most within a few", settleSteps)
		}
	},
	"adagrad-decay": func(r scenarioRun) {
		sgd, ada := r.run("sgd"), r.run("adagrad")
		if g := ada.Trace[0].Gradient; math.Abs(g[0]+216) > 1 || math.Abs(g[1]+88) > 1 {
			r.tb.Errorf("first gradient %v, want about (−216, −88)", g)
		}
		if lr := effectiveLR(r.tb, ada, 0)[0]; lr >= 5e-4 {
			r.tb.Errorf("AdaGrad's effective learning rate on x after one step is %g, want below 0.0005", lr)
		}
		for k := 1; k < len(ada.Trace)-1; k++ {
			if effectiveLR(r.tb, ada, k)[0] > effectiveLR(r.tb, ada, k-1)[0] {
				r.tb.Errorf("AdaGrad's effective learning rate rose at iterate %d", k)
				break
			}
		}
		if last(sgd)[0] <= last(ada)[0] || lastLoss(sgd) >= lastLoss(ada) {
			r.tb.Errorf("SGD ends at %v (loss %g), AdaGrad at %v (loss %g): want SGD further along the valley", last(sgd), lastLoss(sgd), last(ada), lastLoss(ada))
		}
	},
	"rmsprop-forgets": func(r scenarioRun) {
		ada, rms := r.run("adagrad"), r.run("rmsprop")
		if d := dist(last(rms), surfaces.Point{3, 0.5}); d > 0.05 {
			r.tb.Errorf("RMSProp ends %g from the minimum (3, 0.5), want within 0.05", d)
		}
		if lastLoss(ada) < 1 || dist(last(ada), ada.Path[0]) > 1 {
			r.tb.Errorf("AdaGrad ends at %v with loss %g, want it stuck near the start", last(ada), lastLoss(ada))
		}
		first, end := effectiveLR(r.tb, rms, 0)[0], effectiveLR(r.tb, rms, len(rms.Trace)-2)[0]
		if end < 10*first {
			r.tb.Errorf("RMSProp's effective learning rate on x went from %g to %g, want it to grow more than tenfold", first, end)
		}
	},
	"adam-bias-correction": func(r scenarioRun) {
		adam, raw := r.run("adam"), r.run("adamw")
		if p := last(adam); p[0] > 0 || lastLoss(adam) > -0.3 {
			r.tb.Errorf("corrected Adam ends at %v (loss %g), want it in the deeper left well", p, lastLoss(adam))
		}
		if p := last(raw); p[0] < 0 {
			r.tb.Errorf("uncorrected Adam ends at %v, want it over the ridge in the right well", p)
		}
		// Corrected, a coordinate moves about lr per step; uncorrected,
		// three to six times that.
		lr := 0.1
		longest := 0.0
		for k := 1; k <= 20; k++ {
			d := raw.Path[k]
			longest = max(longest, math.Abs(d[0]-raw.Path[k-1][0]), math.Abs(d[1]-raw.Path[k-1][1]))
		}
		if first := math.Abs(raw.Path[1][0]-raw.Path[0][0]) / lr; first < 3 || longest/lr > 7 {
			r.tb.Errorf("uncorrected first step %.2g × lr, longest early step %.2g × lr; want three to six times lr", first, longest/lr)
		}
		if first := math.Abs(adam.Path[1][0]-adam.Path[0][0]) / lr; math.Abs(first-1) > 0.01 {
			r.tb.Errorf("corrected first step is %.3g × lr, want lr", first)
		}
	},
	"newton-saddle": func(r scenarioRun) {
		sgd, newton := r.run("sgd"), r.run("newton")
		if len(newton.Path) != 2 || dist(last(newton), origin) > 1e-12 || newton.Status != engine.Converged {
			r.tb.Errorf("Newton's path %v ends %s, want one step onto the saddle and convergence", newton.Path, newton.Status)
		}
		if p := last(sgd); sgd.Status != engine.Diverged || math.Abs(p[1]) < 1e5 || math.Abs(p[0]) > 1e-3 {
			r.tb.Errorf("SGD ends %s at %v, want it escaped along y out of range", sgd.Status, p)
		}
	},
	"newton-regularized": func(r scenarioRun) {
		newton, ls := r.run("newton"), r.run("newton-ls")
		for _, x := range []runResult{newton, ls} {
			if x.Status != engine.Converged || lastLoss(x) > 1e-12 {
				r.tb.Errorf("%s ends %s at loss %g, want a minimum", x.Name, x.Status, lastLoss(x))
			}
		}
		if len(ls.Path) > 10 || len(ls.Path) >= len(newton.Path) {
			r.tb.Errorf("%d iterations with line search, %d with α = 3: want a handful, and fewer", len(ls.Path)-1, len(newton.Path)-1)
		}
		pure := r.variant("/?surface=deep-linear&start=0.3,0.25&steps=200&opt=newton(alpha=0)").run("newton")
		if dist(last(pure), origin) > 1e-6 || math.Abs(lastLoss(pure)-1) > 1e-9 {
			r.tb.Errorf("with α = 0 Newton ends at %v with loss %g, want the saddle at the origin with loss 1", last(pure), lastLoss(pure))
		}
	},
	"cg-vs-zigzag": func(r scenarioRun) {
		sgd, cg := r.run("sgd"), r.run("cg")
		if cg.Status != engine.Converged || len(cg.Path) != 4 {
			r.tb.Errorf("cg ends %s after %d iterations, want three", cg.Status, len(cg.Path)-1)
		}
		crossings := 0
		for k := 1; k <= 30; k++ {
			if (sgd.Path[k][0]-sgd.Path[k][1])*(sgd.Path[k-1][0]-sgd.Path[k-1][1]) < 0 {
				crossings++
			}
		}
		if crossings < 25 || firstBelow(sgd, 1e-8) < 30 {
			r.tb.Errorf("SGD crosses the valley %d times in 30 steps and reaches 1e-8 at iterate %d; want a crossing at nearly every step and a slow slide", crossings, firstBelow(sgd, 1e-8))
		}
		steepest := r.variant("/?surface=rotated-ravine&start=-3,-1&steps=200&opt=cg(variant=polak-ribiere,restart=1)").run("cg")
		if len(steepest.Path) < 100 {
			r.tb.Errorf("cg with restart 1 took %d iterations, want well over a hundred", len(steepest.Path)-1)
		}
	},
	"bfgs-vs-lbfgs": func(r scenarioRun) {
		bfgs, lbfgs := r.run("bfgs"), r.run("lbfgs")
		for _, x := range []runResult{bfgs, lbfgs} {
			if x.Status != engine.Converged || dist(last(x), surfaces.Point{1, 1}) > 1e-6 {
				r.tb.Errorf("%s ends %s at %v, want (1, 1)", x.Name, x.Status, last(x))
			}
		}
		nb, nl := len(bfgs.Path)-1, len(lbfgs.Path)-1
		if nb < 30 || nb > 50 || nl < 45 || nl > 65 {
			r.tb.Errorf("%d iterations for BFGS and %d for L-BFGS with memory 1, want about forty and fifty-five", nb, nl)
		}
		five := len(r.variant("/?surface=rosenbrock&start=-1.2,1&steps=200&opt=lbfgs(memory=5)").run("lbfgs").Path) - 1
		if five > nb+5 {
			r.tb.Errorf("L-BFGS with memory 5 takes %d iterations, BFGS %d: want it to keep pace", five, nb)
		}
	},
	"normalization-ravine": func(r scenarioRun) {
		slow, fast := r.run("sgd"), r.run("momentum")
		raw, _ := surfaces.Lookup("least-squares")
		best := raw.Value(raw.Minima[0])
		if slow.Status == engine.Diverged || lastLoss(slow) < best+1e-3 {
			r.tb.Errorf("SGD at 0.02 ends %s at loss %g (minimum %g), want stable but short of it", slow.Status, lastLoss(slow), best)
		}
		if fast.Status != engine.Diverged {
			r.tb.Errorf("SGD at 0.04 ends %s, want it to diverge", fast.Status)
		}
		if k := condition(raw.Hessian(raw.Minima[0])); k < 70 || k > 110 {
			r.tb.Errorf("the raw problem's condition number is %.3g, want near 90", k)
		}
	},
	"normalization-bowl": func(r scenarioRun) {
		steady, quick := r.run("sgd"), r.run("momentum")
		normal := surfaces.LeastSquaresSurface(true)
		best := normal.Value(normal.Minima[0])
		if k := condition(normal.Hessian(normal.Minima[0])); math.Abs(k-1.35) > 0.01 {
			r.tb.Errorf("the standardized problem's condition number is %.3g, want 1.35", k)
		}
		if steady.Status == engine.Diverged || lastLoss(steady) > best+1e-6 {
			r.tb.Errorf("standardized, SGD at 0.04 ends %s at loss %g (minimum %g), want it converged", steady.Status, lastLoss(steady), best)
		}
		if quick.Status != engine.Converged || len(quick.Path) > 15 {
			r.tb.Errorf("standardized, SGD at 0.5 ends %s after %d steps, want about ten", quick.Status, len(quick.Path)-1)
		}
		limit := func(lr string) runResult {
			return r.variant("/?surface=least-squares&normalize=true&start=-0.5,2.5&steps=200&opt=sgd(lr=" + lr + ")").run("sgd")
		}
		if x := limit("0.8"); x.Status == engine.Diverged || lastLoss(x) > best+1e-6 {
			r.tb.Errorf("standardized, SGD at 0.8 ends %s at loss %g, want it stable", x.Status, lastLoss(x))
		}
		if x := limit("0.9"); lastLoss(x) < 1 {
			r.tb.Errorf("standardized, SGD at 0.9 ends at loss %g, want it unstable", lastLoss(x))
		}
	},
	"coordinate-descent-coupled": func(r scenarioRun) {
		cd, cg := r.run("coordinate-descent"), r.run("cg")
		if d := dist(last(cd), origin); d < 0.1 {
			r.tb.Errorf("coordinate descent ends %g from the minimum, want more than 0.1 after 200 steps", d)
		}
		if cg.Status != engine.Converged || len(cg.Path) != 3 {
			r.tb.Errorf("cg ends %s after %d iterations, want two", cg.Status, len(cg.Path)-1)
		}
		ravine := r.variant("/?surface=ravine&start=-4.5,1.5&steps=200&opt=coordinate-descent").run("coordinate-descent")
		if ravine.Status != engine.Converged || len(ravine.Path) > 3 {
			r.tb.Errorf("on the ravine coordinate descent ends %s after %d steps, want a single sweep", ravine.Status, len(ravine.Path)-1)
		}
	},
	"polyak-averaging": func(r scenarioRun) {
		sgd := r.run("sgd")
		if len(sgd.Average) != len(sgd.Path) {
			r.tb.Fatalf("%d averages for %d iterates", len(sgd.Average), len(sgd.Path))
		}
		if d := dist(sgd.Average[len(sgd.Average)-1], origin); d > 0.1 {
			r.tb.Errorf("the average ends %g from the minimum, want within 0.1", d)
		}
		if m := meanDistance(sgd, origin, 100); m < 0.4 {
			r.tb.Errorf("the last 100 iterates are on average %g from the minimum, want half a unit or so", m)
		}
		near := 0
		for _, p := range sgd.Path[len(sgd.Path)-100:] {
			if dist(p, origin) < 0.1 {
				near++
			}
		}
		if near > 10 {
			r.tb.Errorf("%d of the last 100 iterates come within 0.1, want rarely", near)
		}
	},
	"continuation-rastrigin": func(r scenarioRun) {
		plain, blurred := r.run("adam"), r.run("adamw")
		if d := dist(last(plain), surfaces.Point{2, -2}); d > 0.05 || lastLoss(plain) < 7 || lastLoss(plain) > 9 {
			r.tb.Errorf("plain Adam ends at %v with loss %g, want the dimple near (2, −2) with loss about 8", last(plain), lastLoss(plain))
		}
		var sigmas []float64
		for _, st := range blurred.Stages {
			sigmas = append(sigmas, st.Sigma)
		}
		if !slices.Equal(sigmas, []float64{2, 1, 0.5, 0}) {
			r.tb.Errorf("the continuation run's stages have σ = %v, want 2, 1, 0.5 and 0", sigmas)
		}
		if d := dist(last(blurred), origin); d > 0.01 || lastLoss(blurred) > 1e-3 {
			r.tb.Errorf("the continuation run ends at %v with loss %g, want the global minimum at the origin", last(blurred), lastLoss(blurred))
		}
	},
}

// condition is the condition number of a positive definite Hessian.
func condition(h surfaces.Hessian) float64 {
	mean := (h.XX + h.YY) / 2
	r := math.Hypot((h.XX-h.YY)/2, h.XY)
	return (mean + r) / (mean - r)
}

func TestDescribeScenarioURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		link        string
		wantSetting string
		wantParams  map[string]string
	}{
		{
			"/?surface=ravine&start=-4.5,1.5&steps=200&opt=sgd(lr=0.05)&opt=momentum",
			"ravine · start (−4.5, 1.5) · 200 steps",
			map[string]string{"sgd": "lr=0.05", "momentum": ""},
		},
		{
			"/?surface=deep-linear&start=0,0&steps=200&starts=40,normal,0.001,1&opt=sgd(lr=0.15,noise=1)",
			"deep-linear · start (0, 0) · 200 steps · 40 starts, normal with scale 0.001",
			map[string]string{"sgd": "lr=0.15, noise=1"},
		},
		{
			"/?surface=least-squares&normalize=true&opt=bfgs",
			"least-squares, normalized",
			map[string]string{"bfgs": ""},
		},
	}
	for _, tt := range tests {
		t.Run(tt.link, func(t *testing.T) {
			t.Parallel()
			setting, params := describeScenarioURL(tt.link)
			if setting != tt.wantSetting {
				t.Errorf("setting %q, want %q", setting, tt.wantSetting)
			}
			if len(params) != len(tt.wantParams) {
				t.Errorf("parameters %v, want %v", params, tt.wantParams)
			}
			for name, want := range tt.wantParams {
				if got, ok := params[name]; !ok || got != want {
					t.Errorf("parameters of %s: %q, want %q", name, got, want)
				}
			}
		})
	}
}
