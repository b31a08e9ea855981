// Package templates holds the templ components of Saddlepoint's pages and the
// plain data they display. Components hold no logic beyond display; the web
// package computes everything they show.
package templates

// Page is everything the main page shows.
type Page struct {
	Surfaces   []SurfaceOption
	Surface    SurfaceOption // the selected surface
	Expr       string        // the typed function of a custom surface
	View       [4]string     // the view of a custom surface, formatted
	Normalize  bool          // least-squares with normalised features
	Optimizers []OptimizerControl
	Steps      int
	MaxSteps   int
	Start      [2]string // the start point, formatted
	Cloud      Cloud
	Plot       Plot
	Overlays   []Overlay
	// Problem says what of the page's URL could not be read, if anything.
	Problem string
	// Scenarios fill the scenario menu; Scenario is the ID of the one the
	// page shows, if any.
	Scenarios []ScenarioLink
	Scenario  string
	// Display is how the page is shown: its theme, presenter mode, embed.
	Display Display
	// ClientData is handed to the page's scripts as JSON.
	ClientData any
}

// Display is how the page's URL asks for it to be shown, rendered into the
// page so that it opens that way before its scripts run: Theme "light",
// "dark" or "" (the reader's choice or the system's), Presenter for a
// lecture hall, Embed for a frame with only the plot and the playback bar.
type Display struct {
	Theme     string
	Presenter bool
	Embed     bool
}

// Cloud is the many-starts control: N starts (0 for a single start) drawn
// from Distribution with Scale around the start point.
type Cloud struct {
	N, MaxN      int
	Distribution string
	Scale        string
	Seed         uint64
}

// Overlay is one of the plot's overlays and its checkbox: Name is its
// name in the page's URL, On whether it is shown, Default whether a page
// shows it unless its URL says otherwise.
type Overlay struct {
	Name, Label string
	On, Default bool
}

// ScenarioLink is one entry of the scenario menu.
type ScenarioLink struct {
	ID, Section, Title, URL string
}

// SurfaceOption is one surface in the surface picker.
type SurfaceOption struct {
	Name    string
	Formula string
	About   string
}

// OptimizerControl is one optimizer's checkbox, parameters and update rule.
// The page's scripts colour the ticked optimizers in the order they are
// listed, as their runs are coloured.
type OptimizerControl struct {
	Name    string
	Title   string
	Checked bool
	Params  []ParamControl
	// Stages and Sigma0 are the continuation inputs: "0" stages is off.
	Stages, Sigma0 string
}

// ParamControl is one parameter's input: a number field, a checkbox
// (Kind "boolean") or a menu (Kind "choice").
type ParamControl struct {
	Name     string
	Kind     string
	Value    string // the default, formatted; "true" or "false" for a checkbox
	Min      string
	Max      string
	Choices  []string
	About    string
	InputID  string
	Advanced bool
}

// Plot is a contour plot in SVG user units: the plot area is the box
// (Left, Top, Width, Height) inside a Frame of FrameWidth × FrameHeight, and
// the surface's view [XMin, XMax] × [YMin, YMax] fills the plot area with
// equal scales on both axes.
type Plot struct {
	Surface                  string
	Formula, About           string
	StartX, StartY           float64 // the start point in data coordinates
	FrameWidth, FrameHeight  float64
	Left, Top, Width, Height float64
	XMin, XMax, YMin, YMax   float64
	Levels                   []ContourLevel
	XTicks, YTicks           []Tick
	Minima                   []Marker
	Start                    Marker
	// Labels and Field are overlays the page shows or hides: the contour
	// levels written along their lines, and arrows of −∇f on a grid, each
	// the SVG path data of its shaft.
	Labels []ContourLabel
	Field  []string
}

// ContourLabel is a level's value written along its line at (X, Y),
// turned by Angle degrees.
type ContourLabel struct {
	X, Y, Angle float64
	Text        string
}

// ContourLevel is every contour line of one level, as an SVG path.
type ContourLevel struct {
	Level float64
	Label string
	Path  string // SVG path data
	Shade int    // 0 (lowest level) to 9 (highest), as CSS class s0 ... s9
}

// Tick is an axis tick at position Pos (SVG units along its axis).
type Tick struct {
	Pos   float64
	Label string
}

// Marker is a point in SVG units.
type Marker struct {
	X, Y  float64
	Label string
}

// basic and advanced split parameters into those always shown and the knobs
// tucked behind a disclosure.
func basic(ps []ParamControl) []ParamControl    { return filterParams(ps, false) }
func advanced(ps []ParamControl) []ParamControl { return filterParams(ps, true) }

func filterParams(ps []ParamControl, adv bool) []ParamControl {
	var out []ParamControl
	for _, p := range ps {
		if p.Advanced == adv {
			out = append(out, p)
		}
	}
	return out
}
