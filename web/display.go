package web

import (
	"net/url"

	"saddlepoint/web/templates"
)

// pageDisplay reads how the page's URL asks for it to be shown: theme=dark
// or theme=light, presenter=1 and embed=1. These change the look, never the
// run, so anything else is ignored rather than reported: the page's scripts
// then use the reader's stored theme or the system's.
func pageDisplay(q url.Values) templates.Display {
	d := templates.Display{Presenter: q.Get("presenter") == "1", Embed: q.Get("embed") == "1"}
	if t := q.Get("theme"); t == "dark" || t == "light" {
		d.Theme = t
	}
	return d
}

// displayParams are the query parameters pageDisplay reads.
var displayParams = []string{"theme", "presenter", "embed"}
