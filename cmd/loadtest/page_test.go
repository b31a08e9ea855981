package main

import (
	"slices"
	"testing"
)

func TestReferences(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, url, body string
		want            []string
	}{
		{"page", "http://h:1/", `<link rel="stylesheet" href="/static/css/app.css"/><link rel="icon" href="/static/favicon.svg" type="image/svg+xml"/>
<a href="/scenarios">all</a><img data-src="/static/no.png"/><script type="module" src="/static/js/app.js"></script>
<p>see ="/static/text" here</p>`,
			[]string{"http://h:1/static/css/app.css", "http://h:1/static/favicon.svg", "http://h:1/static/js/app.js"}},
		{"module", "http://h:1/static/js/app.js", `// import nothing from "./comment.js" on this line
import { A } from "./a.js";
import B from "../vendor/b/b.esm.js";
  import "./side-effect.js";
import {
	c,
	d,
} from "./multi.js";
export { e } from "./e.js";
export const LABELS = { playing: "Pause" };
export function f(x = "y") { return import("./lazy.js"); }
const s = "import x from './no.js'";`,
			[]string{"http://h:1/static/js/a.js", "http://h:1/static/vendor/b/b.esm.js", "http://h:1/static/js/side-effect.js",
				"http://h:1/static/js/multi.js", "http://h:1/static/js/e.js"}},
		{"style sheet", "http://h:1/static/css/app.css", `@import "base.css";
.logo { background: url("/static/favicon.svg") center; }
.x { background: url(img/dot.png); }
.y { background: url('data:image/png;base64,AAAA'); }
@font-face { src: url("/static/fonts/a.woff2") format("woff2"), url(../fonts/b.TTF); }
.z { background: url(https://elsewhere.example/x.png); }`,
			[]string{"http://h:1/static/css/base.css", "http://h:1/static/favicon.svg", "http://h:1/static/css/img/dot.png"}},
		{"other", "http://h:1/static/favicon.svg", `<svg><image href="/static/x.png"/></svg>`, nil},
	}
	for _, tt := range tests {
		got := references(tt.url, []byte(tt.body))
		slices.Sort(got)
		want := slices.Sorted(slices.Values(tt.want))
		if !slices.Equal(got, want) {
			t.Errorf("%s: references =\n%q\nwant\n%q", tt.name, got, want)
		}
	}
}
