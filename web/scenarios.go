package web

import (
	"net/http"
	"net/url"
	"strings"

	"saddlepoint/engine"
	"saddlepoint/scenarios"
	"saddlepoint/web/templates"
)

// scenarioInfo is one entry of GET /api/scenarios. URL is a path on this
// site that opens the page in the scenario's state.
type scenarioInfo struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Section    string   `json:"section"`
	Text       string   `json:"text"`
	URL        string   `json:"url"`
	Optimizers []string `json:"optimizers"`
}

// handleScenarios answers GET /api/scenarios with the scenario library, in
// the chapter's order.
func (s *Server) handleScenarios(w http.ResponseWriter, _ *http.Request) {
	all := scenarios.All()
	out := make([]scenarioInfo, len(all))
	for i, sc := range all {
		out[i] = scenarioInfo{
			ID: sc.ID, Title: sc.Title, Section: sc.Section, Text: sc.Text, URL: sc.URL,
			Optimizers: sc.Optimizers,
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// handleScenariosPage renders GET /scenarios: every scenario with its text,
// the update rule of each optimizer it ticks, and a link that opens it.
func (s *Server) handleScenariosPage(w http.ResponseWriter, r *http.Request) {
	var lib templates.ScenarioLibrary
	for _, sc := range scenarios.All() {
		setting, settings := describeScenarioURL(sc.URL)
		card := templates.ScenarioCard{
			ID: sc.ID, Title: sc.Title, Section: sc.Section, Text: sc.Text, URL: sc.URL, Setting: setting,
		}
		for _, name := range sc.Optimizers {
			ref := templates.RuleRef{Name: name, Title: name, Settings: settings[name]}
			if m, ok := engine.LookupMethod(name); ok {
				ref.Title = m.Title
			}
			card.Optimizers = append(card.Optimizers, ref)
		}
		lib.Scenarios = append(lib.Scenarios, card)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := templates.Scenarios(lib).Render(r.Context(), w); err != nil {
		s.log.Error("rendering the scenarios page", "err", err)
	}
}

// describeScenarioURL sums up the state a scenario's URL opens for its card:
// the surface, start, steps and cloud of starts as one line, and for each
// optimizer the parameters the URL sets, as written there.
func describeScenarioURL(link string) (setting string, settings map[string]string) {
	settings = map[string]string{}
	u, err := url.Parse(link)
	if err != nil {
		return "", settings
	}
	q := u.Query()
	var parts []string
	if v := q.Get("surface"); v != "" {
		if q.Get("normalize") == "true" {
			v += ", normalized"
		}
		parts = append(parts, v)
	}
	if v := q.Get("start"); v != "" {
		parts = append(parts, "start ("+strings.ReplaceAll(strings.ReplaceAll(v, ",", ", "), "-", "−")+")")
	}
	if v := q.Get("steps"); v != "" {
		parts = append(parts, v+" steps")
	}
	if cloud := strings.Split(q.Get("starts"), ","); len(cloud) == 4 {
		parts = append(parts, cloud[0]+" starts, "+cloud[1]+" with scale "+cloud[2])
	}
	for _, opt := range q["opt"] {
		name, args, _ := strings.Cut(opt, "(")
		settings[name] = strings.ReplaceAll(strings.TrimSuffix(args, ")"), ",", ", ")
	}
	return strings.Join(parts, " · "), settings
}
