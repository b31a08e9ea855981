package web

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"saddlepoint/engine"
	"saddlepoint/scenarios"
)

func TestParsePageState(t *testing.T) {
	t.Parallel()
	st, problem := parsePageState(url.Values{
		"surface": {"rosenbrock"},
		"start":   {"-1,2.5"},
		"steps":   {"500"},
		"opt":     {"adam(lr=0.05,bias_correction=false,schedule=cosine)", "momentum", "cg(variant=polak-ribiere)"},
	})
	if problem != "" {
		t.Fatalf("problem %q", problem)
	}
	if st.surface.Name != "rosenbrock" || st.start != [2]float64{-1, 2.5} || st.steps != 500 {
		t.Errorf("state %s %v %d", st.surface.Name, st.start, st.steps)
	}
	var names []string
	for _, o := range st.optimizers {
		names = append(names, o.method.Name)
	}
	if strings.Join(names, " ") != "adam momentum cg" {
		t.Errorf("optimizers %v, want them in the URL's order", names)
	}
	adam := st.optimizers[0].params
	if adam.Float("lr") != 0.05 || adam.Bool("bias_correction") || adam.String("schedule") != "cosine" || adam.Float("beta1") != 0.9 {
		t.Errorf("adam's params %v", adam)
	}
	if st.optimizers[2].params.String("variant") != "polak-ribiere" {
		t.Errorf("cg's params %v", st.optimizers[2].params)
	}
}

func TestParsePageStateDefaultsAndProblems(t *testing.T) {
	t.Parallel()
	st, problem := parsePageState(url.Values{})
	if problem != "" || st.surface.Name != "ravine" || st.steps != engine.DefaultSteps || len(st.optimizers) != 2 || st.start != st.surface.Start {
		t.Errorf("the empty URL gives %s %v %d %d optimizers, problem %q", st.surface.Name, st.start, st.steps, len(st.optimizers), problem)
	}
	for _, tc := range []struct {
		query string
		want  string
	}{
		{"surface=banana", `surface: unknown surface "banana"`},
		{"start=1", "start: expected two numbers"},
		{"steps=0", "steps: must be a whole number from 1 to 100000"},
		{"steps=many", `got "many"`},
		{"opt=adamax", `opt[0]: unknown optimizer "adamax"`},
		{"opt=sgd&opt=adam(lr=fast)", `opt[1]: optimizer adam, parameter lr: must be a number between 0 and 100, got "fast"`},
		{"opt=adam(lr=0.1", "expected ')'"},
		{"opt=adam(lr)", "expected name=value"},
		{"opt=sgd(momentum=0.9)", "parameter momentum: unknown parameter of sgd"},
		{"opt=adam(bias_correction=maybe)", `must be true or false, got "maybe"`},
		{"opt=sgd&opt=sgd(lr=0.1)", "sgd is listed twice"},
	} {
		q, err := url.ParseQuery(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		_, problem := parsePageState(q)
		if !strings.Contains(problem, tc.want) {
			t.Errorf("%s: problem %q, want it to contain %q", tc.query, problem, tc.want)
		}
	}
}

func TestPageShowsURLState(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	doc := fetchHTML(t, srv.URL+"/?surface=beale&start=2,-1&steps=321&opt=rmsprop(rho=0.5,average=exponential)&opt=bfgs")
	checked := map[string]bool{}
	for _, n := range findAll(doc, func(n *html.Node) bool { return n.Data == "input" && attr(n, "name") == "optimizer" }) {
		_, on := attrOK(n, "checked")
		checked[attr(n, "value")] = on
	}
	for name, on := range checked {
		if want := name == "rmsprop" || name == "bfgs"; on != want {
			t.Errorf("%s checked=%v, want %v", name, on, want)
		}
	}
	value := func(id string) string {
		n := findAll(doc, byID(id))
		if len(n) != 1 {
			t.Fatalf("no #%s", id)
		}
		if n[0].Data == "select" {
			for _, o := range findAll(n[0], func(n *html.Node) bool { return n.Data == "option" }) {
				if _, sel := attrOK(o, "selected"); sel {
					return attr(o, "value")
				}
			}
		}
		return attr(n[0], "value")
	}
	for id, want := range map[string]string{
		"start-x": "2", "start-y": "-1", "steps": "321",
		"param-rmsprop-rho": "0.5", "param-rmsprop-lr": "0.001", "param-rmsprop-average": "exponential",
	} {
		if got := value(id); got != want {
			t.Errorf("#%s shows %q, want %q", id, got, want)
		}
	}
	if p := findAll(doc, byID("plot")); attr(p[0], "data-surface") != "beale" {
		t.Errorf("plot of %q", attr(p[0], "data-surface"))
	}
	if e := text(findAll(doc, byID("error"))[0]); e != "" {
		t.Errorf("error %q on a good URL", e)
	}
	doc = fetchHTML(t, srv.URL+"/?opt=adamax")
	if e := text(findAll(doc, byID("error"))[0]); !strings.Contains(e, "adamax") {
		t.Errorf("a bad URL shows error %q", e)
	}
}

func TestPageScenarioMenuAndRules(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	all := scenarios.All()
	doc := fetchHTML(t, srv.URL+all[2].URL)
	menu := findAll(doc, byID("scenario"))
	if len(menu) != 1 {
		t.Fatal("no scenario menu")
	}
	options := findAll(menu[0], func(n *html.Node) bool { return n.Data == "option" && attr(n, "value") != "" })
	if len(options) != len(all) {
		t.Errorf("%d scenarios in the menu, want %d", len(options), len(all))
	}
	for i, o := range options {
		_, selected := attrOK(o, "selected")
		if attr(o, "value") != all[i].URL || selected != (i == 2) {
			t.Errorf("option %d: %q selected=%v; want %q, selected only for the scenario opened", i, attr(o, "value"), selected, all[i].URL)
		}
	}
	for _, m := range engine.Methods() {
		rule := findAll(doc, func(n *html.Node) bool {
			return n.Data == "figure" && attr(n, "data-optimizer") == m.Name
		})
		if len(rule) != 1 || len(findAll(rule[0], func(n *html.Node) bool { return n.Data == "math" })) != 1 {
			t.Errorf("%s: no MathML update rule beside its parameters", m.Name)
		}
	}
}
