package credit

import "strings"

// mobileShapes are the ways an 11-digit mobile number is grouped.
var mobileShapes = [...][]int{{11}, {3, 4, 4}, {3, 8}, {7, 4}}

// mobileEnd returns the end of a mobile number at the start of c, or -1.
func mobileEnd(s string, c *chain) int {
	g := 0 // the group the subscriber number starts in
	switch cc := c.gluedCountryCode(); {
	case c.countryCode(0):
		g = 1
	case cc > 0 && !c.open:
		end := c.groups[0].end
		if validMobile(c.digits[cc:c.groups[0].n]) && endOK(s, end, false) {
			return end
		}
		return -1
	case c.open || c.plus:
		return -1
	}
	if g >= c.n || !validMobile(c.from(g)) {
		return -1
	}
	for _, shape := range mobileShapes {
		if c.fits(g, shape...) {
			if end := c.groups[g+len(shape)-1].end; endOK(s, end, false) {
				return end
			}
		}
	}
	return -1
}

// gluedCountryCode returns the length of the 86 or 0086 that a first group
// of 13 or 15 digits starts with, a mobile number glued to it, or 0.
func (c *chain) gluedCountryCode() int {
	d := c.digits[:]
	switch c.groups[0].n {
	case 13:
		if d[0] == 8 && d[1] == 6 {
			return 2
		}
	case 15:
		if d[0] == 0 && d[1] == 0 && d[2] == 8 && d[3] == 6 {
			return 4
		}
	}
	return 0
}

// localShapes are the ways a local telephone number is grouped, for 8 and
// 7 digits.
var localShapes = [...][]int{{8}, {4, 4}, {7}, {3, 4}, {4, 3}}

// landlineEnd returns the end of a landline number at the start of c, with
// its extension and the further local numbers listed after it, or -1.
func landlineEnd(s string, c *chain) int {
	g, area := 0, 0 // the group the local number starts in; the area code's length with its 0
	n0 := c.groups[0].n
	switch {
	case c.countryCode(0) && c.n > 1:
		g, area = 2, areaCodeLen(c.digits[c.groups[1].off:c.groups[1].off+c.groups[1].n], false)
		if area != c.groups[1].n+1 {
			return -1
		}
	case c.plus:
		return -1
	case areaCodeLen(c.digits[:n0], true) == n0:
		g, area = 1, n0
	case !c.open:
		area = areaCodeLen(c.digits[:n0], true)
		if area == 0 || !validLocal(c.digits[area:n0], area) {
			return -1
		}
		return landlineTail(s, c.groups[0].end)
	default:
		return -1
	}
	if g >= c.n {
		return -1
	}
	for _, shape := range localShapes {
		if !c.fits(g, shape...) {
			continue
		}
		last := g + len(shape) - 1
		local := c.digits[c.groups[g].off : c.groups[last].off+c.groups[last].n]
		if validLocal(local, area) {
			return landlineTail(s, c.groups[last].end)
		}
	}
	return -1
}

// landlineTail returns the end of a landline whose local number ends at
// s[i], with its extension and further local numbers, or -1 if it does not
// end there.
func landlineTail(s string, i int) int {
	if e := extensionEnd(s, i); e > i {
		return alsoEnd(s, e)
	}
	if !endOK(s, i, false) {
		return -1
	}
	return alsoEnd(s, i)
}

// areaCodeLen returns the length of the area code at the start of d: 3 for
// 010 and 02x, 4 for 0[3-9]xx, 0 if d starts with none. Without its 0
// (after +86) the lengths are one less and the result is still counted
// with the 0.
func areaCodeLen(d []byte, zero bool) int {
	if zero {
		if len(d) == 0 || d[0] != 0 {
			return 0
		}
		d = d[1:]
	}
	switch {
	case len(d) >= 2 && (d[0] == 1 && d[1] == 0 || d[0] == 2):
		return 3
	case len(d) >= 3 && d[0] >= 3:
		return 4
	}
	return 0
}

// validLocal reports whether d is a local number for an area code of that
// length: 8 digits after a three-digit code, 7 or 8 after a four-digit one,
// not starting with 0 (which would make it another area code). Real local
// numbers start with 2–8, but a mistyped or made-up 1 still reads as a
// telephone number.
func validLocal(d []byte, area int) bool {
	n := len(d)
	return (n == 8 || n == 7 && area == 4) && d[0] >= 1
}

// extensionEnd extends a landline ending at s[i] over an extension:
// -123, 转123, 分机 123, ext. 123. A dash followed by a longer number, or by
// one that goes on, is not an extension but the next number.
func extensionEnd(s string, i int) int {
	j, maxLen := i, 6
	if w := dashAt(s, j); w > 0 {
		j, maxLen = j+w, 5
	} else {
		j += spaceAt(s, j)
		switch {
		case strings.HasPrefix(s[j:], "转"):
			j += len("转")
		case strings.HasPrefix(s[j:], "分机"):
			j += len("分机")
		case len(s)-j >= 3 && strings.EqualFold(s[j:j+3], "ext"):
			j += 3
			if j < len(s) && s[j] == '.' {
				j++
			}
		default:
			return i
		}
		j += spaceAt(s, j)
	}
	k, n := runEnd(s, j)
	if n == 0 || n > maxLen || !endOK(s, k, false) {
		return i
	}
	if maxLen == 5 {
		if w := sepAt(s, k); w > 0 && digitWidth(s, k+w) > 0 {
			return i
		}
	}
	return k
}

// alsoEnd extends a landline ending at s[i] over further local numbers
// listed after it: 0591-87654321/87654322、87654323.
func alsoEnd(s string, i int) int {
	for {
		w := listSepAt(s, i)
		if w == 0 {
			return i
		}
		k, n := runEnd(s, i+w)
		if n != 7 && n != 8 || digitValue(s, i+w) == 0 || !endOK(s, k, false) {
			return i
		}
		i = k
	}
}
