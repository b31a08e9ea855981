package static

import (
	"io/fs"
	"testing"
)

func TestEmbeddedAssets(t *testing.T) {
	t.Parallel()
	for _, name := range []string{
		"js/app.js", "js/export.js", "js/plot.js", "js/stream.js", "js/controls.js", "js/legend.js",
		"js/timeline.js", "js/playback.js", "js/keyboard.js", "js/chart.js",
		"css/app.css", "favicon.svg",
		"vendor/uplot/uPlot.min.esm.js", "vendor/uplot/uPlot.min.css", "vendor/uplot/LICENSE", "vendor/uplot/README.md",
	} {
		data, err := fs.ReadFile(FS, name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(data) == 0 {
			t.Errorf("%s is empty", name)
		}
	}
}
