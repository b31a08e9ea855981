// Package static holds Saddlepoint's client assets (stylesheets, JavaScript
// modules, icons), embedded so the server binary is self-contained.
package static

import "embed"

// FS holds the assets, at paths such as "js/app.js" and "css/app.css".
//
//go:embed css js vendor favicon.svg
var FS embed.FS
