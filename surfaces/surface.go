// Package surfaces is the catalogue of two-dimensional loss surfaces that
// Saddlepoint's optimizers walk over. Each surface gives its exact value,
// gradient and Hessian (derived by hand, never by finite differences), the
// window it is best viewed in, a default start, its known minima and a
// display formula.
//
// The package is pure math: no HTTP, no JSON, no goroutines.
package surfaces

import "sort"

// Point is a point θ = (x, y) of the parameter plane. As JSON it is [x, y].
type Point [2]float64

// Hessian is the symmetric 2 × 2 matrix of second derivatives
//
//	H = [ ∂²f/∂x²   ∂²f/∂x∂y ]
//	    [ ∂²f/∂x∂y  ∂²f/∂y²  ]
//
// stored as its three distinct entries.
type Hessian struct {
	XX, XY, YY float64
}

// Function is what a first-order optimizer needs of a surface: its value and
// its gradient ∇f = (∂f/∂x, ∂f/∂y).
//
// The catalogue's functions have pointer receivers and are registered as
// pointers, although they hold nothing. A method with a value receiver,
// called through an interface, goes through a wrapper the compiler writes,
// which copies the Point argument whole, in one 16-byte load; when the
// caller has just written that point coordinate by coordinate, as a
// Nesterov step writes its look-ahead point, the load waits for both stores
// to reach the cache (a store-forwarding stall, some 5 ns). A pointer
// receiver is called directly and reads the coordinates one by one.
type Function interface {
	Value(p Point) float64
	Gradient(p Point) Point
}

// TwiceDifferentiable is a Function that also gives its exact Hessian, as
// Newton's method needs.
type TwiceDifferentiable interface {
	Function
	Hessian(p Point) Hessian
}

// View is the axis-aligned window [XMin, XMax] × [YMin, YMax] a surface is
// drawn in.
type View struct {
	XMin, XMax, YMin, YMax float64
}

// Contains reports whether p lies inside the view, edges included.
func (v View) Contains(p Point) bool {
	return v.XMin <= p[0] && p[0] <= v.XMax && v.YMin <= p[1] && p[1] <= v.YMax
}

// Surface is one named entry of the catalogue: the function itself with what
// is known about it.
type Surface struct {
	TwiceDifferentiable

	// Name is the surface's API identifier, such as "rosenbrock".
	Name string
	// Formula is f(x, y) written for display, in Unicode plain text.
	Formula string
	// About says in a sentence or two what the surface teaches.
	About string
	// View is the window the surface is best seen in.
	View View
	// Start is the default starting point of a run.
	Start Point
	// Minima lists the known global and local minimisers inside the view.
	Minima []Point
}

var catalogue = map[string]Surface{}

// register adds s to the catalogue; it is called from the init functions of
// the files that define the surfaces.
func register(s Surface) {
	if _, dup := catalogue[s.Name]; dup {
		panic("surfaces: duplicate surface " + s.Name)
	}
	catalogue[s.Name] = s
}

// Lookup returns the catalogue surface with the given name.
func Lookup(name string) (Surface, bool) {
	s, ok := catalogue[name]
	return s, ok
}

// All returns every catalogue surface, in the catalogue's display order.
func All() []Surface {
	all := make([]Surface, 0, len(catalogue))
	for _, s := range catalogue {
		all = append(all, s)
	}
	sort.Slice(all, func(i, j int) bool { return order(all[i].Name) < order(all[j].Name) })
	return all
}

// Names returns the catalogue's surface names in display order.
func Names() []string {
	all := All()
	names := make([]string, len(all))
	for i, s := range all {
		names[i] = s.Name
	}
	return names
}

// displayOrder is the order surfaces are listed in: from the simplest
// quadratic to the hardest test functions, then the surfaces that show one
// difficulty of training each, the further classical test functions and
// least squares.
var displayOrder = []string{
	"bowl", "ravine", "rotated-ravine", "saddle", "rosenbrock", "beale",
	"himmelblau", "rastrigin", "six-hump-camel", "coupled", "deep-linear",
	"plateau", "cliff", "two-wells", "monkey-saddle", "booth", "matyas",
	"least-squares",
}

func order(name string) int {
	for i, n := range displayOrder {
		if n == name {
			return i
		}
	}
	return len(displayOrder)
}
