package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// message is what a client needs of one message from the server: its type,
// the run it is about, how many iterates it carries (the length of its
// "loss", one number per iterate, or a binary frame's "points"), how many
// runs a "started" announces, and the status or error text.
type message struct {
	Type   string
	Run    int
	Points int
	Runs   int
	Status string
	Error  string
}

// errMalformed reports a message that is not a JSON object of the expected
// shape.
var errMalformed = errors.New("malformed message")

// scanMessage reads a message in one pass over its bytes, without decoding
// its numbers. A full json.Unmarshal of a batch of 1,000 points costs three
// times what the server spends encoding it; the clients share the machine's
// cores with the server, and a student's browser parses on the student's
// machine, so the clients here do as little as will still count every
// iterate.
func scanMessage(data []byte) (message, error) {
	var m message
	s := scanner{data: data}
	s.space()
	if !s.eat('{') {
		return m, errMalformed
	}
	s.space()
	if s.eat('}') {
		return m, nil
	}
	for {
		s.space()
		key, ok := s.stringToken()
		if !ok {
			return m, errMalformed
		}
		s.space()
		if !s.eat(':') {
			return m, errMalformed
		}
		s.space()
		if err := s.value(&m, string(key)); err != nil {
			return m, err
		}
		s.space()
		if s.eat('}') {
			s.space()
			if s.i != len(s.data) {
				return m, errMalformed
			}
			return m, nil
		}
		if !s.eat(',') {
			return m, errMalformed
		}
	}
}

// scanFrame reads a binary points frame (docs/api.md): its JSON header, by
// scanMessage, and checks that the frame is long enough for the points the
// header announces, 24 bytes each, and the rest whole float64s.
func scanFrame(data []byte) (message, error) {
	if len(data) < 4 {
		return message{}, fmt.Errorf("%w: a frame of %d bytes", errMalformed, len(data))
	}
	n := int(binary.LittleEndian.Uint32(data))
	if n > len(data)-4 || (4+n)%8 != 0 {
		return message{}, fmt.Errorf("%w: a header of %d bytes in a frame of %d, not ending at a multiple of 8", errMalformed, n, len(data))
	}
	m, err := scanMessage(data[4 : 4+n])
	if err != nil {
		return m, err
	}
	if numbers := len(data) - 4 - n; m.Type != "points" || numbers < 24*m.Points || numbers%8 != 0 {
		return m, fmt.Errorf("%w: a %q frame of %d points with %d bytes of numbers", errMalformed, m.Type, m.Points, numbers)
	}
	return m, nil
}

// scanner walks JSON text.
type scanner struct {
	data []byte
	i    int
}

func (s *scanner) space() {
	for s.i < len(s.data) {
		switch s.data[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *scanner) eat(c byte) bool {
	if s.i < len(s.data) && s.data[s.i] == c {
		s.i++
		return true
	}
	return false
}

// stringToken returns the raw JSON string at the cursor, quotes included.
func (s *scanner) stringToken() ([]byte, bool) {
	start := s.i
	if !s.eat('"') {
		return nil, false
	}
	for s.i < len(s.data) {
		switch s.data[s.i] {
		case '\\':
			s.i += 2
		case '"':
			s.i++
			return s.data[start:s.i], true
		default:
			s.i++
		}
	}
	return nil, false
}

// value reads the value of key into m: the strings it knows, the numbers
// "run" and "points" (the count of iterates in a binary frame's header),
// either of which must be a whole number ≥ 0, and the element counts of
// "loss" and "runs"; other values are skipped.
func (s *scanner) value(m *message, key string) error {
	if s.i >= len(s.data) {
		return errMalformed
	}
	switch c := s.data[s.i]; {
	case c == '"':
		raw, ok := s.stringToken()
		if !ok {
			return errMalformed
		}
		var text string
		switch key {
		case `"type"`, `"status"`, `"error"`:
			if err := json.Unmarshal(raw, &text); err != nil {
				return errMalformed
			}
		}
		switch key {
		case `"type"`:
			m.Type = text
		case `"status"`:
			m.Status = text
		case `"error"`:
			m.Error = text
		}
	case c == '[' || c == '{':
		n, ok := s.skipComposite()
		if !ok {
			return errMalformed
		}
		switch key {
		case `"loss"`:
			m.Points = n
		case `"runs"`:
			m.Runs = n
		}
	default: // a number, true, false or null
		start := s.i
		for s.i < len(s.data) && !endsScalar(s.data[s.i]) {
			s.i++
		}
		if s.i == start {
			return errMalformed
		}
		if key == `"run"` || key == `"points"` {
			count, err := strconv.Atoi(string(s.data[start:s.i]))
			if err != nil || count < 0 {
				return fmt.Errorf("%w: %s %q is not a whole number", errMalformed, key, s.data[start:s.i])
			}
			if key == `"run"` {
				m.Run = count
			} else {
				m.Points = count
			}
		}
	}
	return nil
}

// skipComposite moves past the array or object at the cursor and returns
// how many elements it holds at its top level.
func (s *scanner) skipComposite() (int, bool) {
	depth := 0
	elements := 0
	empty := true
	for s.i < len(s.data) {
		// Most bytes are digits of numbers: run over them in a tight loop.
		start := s.i
		for s.i < len(s.data) && !structural[s.data[s.i]] {
			s.i++
		}
		if empty && depth > 0 && len(bytes.TrimSpace(s.data[start:s.i])) > 0 {
			empty = false
		}
		if s.i == len(s.data) {
			break
		}
		switch c := s.data[s.i]; c {
		case '"':
			if _, ok := s.stringToken(); !ok {
				return 0, false
			}
			empty = false
			continue
		case '[', '{':
			if depth > 0 {
				empty = false
			}
			depth++
		case ']', '}':
			depth--
			if depth == 0 {
				s.i++
				if !empty {
					elements++
				}
				return elements, true
			}
		case ',':
			if depth == 1 {
				elements++
			}
		}
		s.i++
	}
	return 0, false
}

// structural marks the bytes skipComposite must look at: the others (digits,
// signs, letters of true, false and null, white space) only tell it that a
// value is there.
var structural = [256]bool{'"': true, '[': true, ']': true, '{': true, '}': true, ',': true}

// endsScalar reports whether c ends a number, true, false or null.
func endsScalar(c byte) bool {
	switch c {
	case ',', '}', ']', ' ', '\t', '\n', '\r':
		return true
	}
	return false
}
