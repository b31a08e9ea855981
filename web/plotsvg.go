package web

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"

	"github.com/a-h/templ"

	"saddlepoint/surfaces"
	"saddlepoint/web/templates"
)

// plotSVG is a plot's SVG as GET /plot sends it, for any start: rendered
// once with no start, cut at the places the start is written (startText),
// and each piece kept plain and deflated on its own. The SVG of a start is
// the pieces with the start's text between them; gzipped, it is a gzip
// header, the deflated pieces with the start's text between them in stored
// blocks, and a trailer, so that no request renders or compresses the SVG
// again (RFC 1951 lets blocks follow one another however they were made, and
// a piece deflated on its own refers to nothing before it).
type plotSVG struct {
	plain    [][]byte
	deflated [][]byte // ended by a sync flush (on a byte boundary), the last by the final block
}

// startText is what a plot's SVG writes of its start, in the order it
// writes it: the plot's data-start, the marker's transform and the
// marker's title, escaped as the template escapes them.
func startText(p templates.Plot) []string {
	return []string{
		templ.EscapeString(fmt.Sprintf("%g %g", p.StartX, p.StartY)),
		templ.EscapeString(fmt.Sprintf("%g %g", p.Start.X, p.Start.Y)),
		templ.EscapeString(p.Start.Label),
	}
}

// newPlotSVG renders p, which has no start marked, as a plotSVG. It marks
// the start at NaN, whose text the rest of the SVG cannot contain, to find
// where the start goes.
func newPlotSVG(p templates.Plot) (*plotSVG, error) {
	var b bytes.Buffer
	marked := markStart(p, surfaces.Point{math.NaN(), math.NaN()})
	if err := templates.PlotSVG(marked).Render(context.Background(), &b); err != nil {
		return nil, err
	}
	rest := b.Bytes()
	var v plotSVG
	for _, mark := range startText(marked) {
		before, after, found := bytes.Cut(rest, []byte(mark))
		if !found {
			return nil, errors.New("the plot's SVG does not write its start as startText says: " + mark)
		}
		v.plain = append(v.plain, before)
		rest = after
	}
	v.plain = append(v.plain, rest)
	for i, piece := range v.plain {
		if bytes.Contains(piece, []byte("NaN")) {
			return nil, errors.New("the plot's SVG writes its start in more places than startText says")
		}
		v.deflated = append(v.deflated, deflatePiece(piece, i == len(v.plain)-1))
	}
	return &v, nil
}

// body returns the SVG of p, the plot with its start marked, in pieces.
func (v *plotSVG) body(p templates.Plot) [][]byte {
	text := startText(p)
	var out [][]byte
	for i, piece := range v.plain {
		out = append(out, piece)
		if i < len(text) {
			out = append(out, []byte(text[i]))
		}
	}
	return out
}

// gzip returns the SVG of p, the plot with its start marked, gzipped
// (RFC 1952), in pieces.
func (v *plotSVG) gzip(p templates.Plot) [][]byte {
	text := startText(p)
	// ID1, ID2, deflate, no flags, no time, fastest compression, OS unknown.
	out := [][]byte{{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 4, 255}}
	crc, size := uint32(0), 0
	for i, piece := range v.deflated {
		out = append(out, piece)
		crc = crc32.Update(crc, crc32.IEEETable, v.plain[i])
		size += len(v.plain[i])
		if i < len(text) {
			out = append(out, storedBlock([]byte(text[i])))
			crc = crc32.Update(crc, crc32.IEEETable, []byte(text[i]))
			size += len(text[i])
		}
	}
	trailer := binary.LittleEndian.AppendUint32(nil, crc)
	return append(out, binary.LittleEndian.AppendUint32(trailer, uint32(size)))
}

// deflatePiece deflates b at the fastest level on its own, ended by a sync
// flush so that what follows starts on a byte boundary, or by the final
// block if last.
func deflatePiece(b []byte, last bool) []byte {
	var out bytes.Buffer
	w, _ := flate.NewWriter(&out, flate.BestSpeed) // the level is valid
	_, _ = w.Write(b)                              // a bytes.Buffer takes everything
	if last {
		_ = w.Close()
	} else {
		_ = w.Flush()
	}
	return out.Bytes()
}

// storedBlock is b, at most 65,535 bytes, as a deflate block stored as it
// is, not the final one, following a byte boundary: a byte for BFINAL 0 and
// BTYPE 00, then LEN and its complement (RFC 1951, 3.2.4).
func storedBlock(b []byte) []byte {
	n := uint16(len(b))
	head := []byte{0}
	head = binary.LittleEndian.AppendUint16(head, n)
	head = binary.LittleEndian.AppendUint16(head, ^n)
	return append(head, b...)
}
