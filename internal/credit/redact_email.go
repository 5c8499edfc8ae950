package credit

// emailAt returns the e-mail address around the at sign at s[at] (w
// bytes), or end -1. Like a number, an address is made of whole words:
// full-width letters and digits glued to it are taken in, so what is left
// beside it is never the rest of a word. The caller merges the spans its
// local part overlaps.
func emailAt(s string, at, w int) (start, end int) {
	start, alnum := at, false
	for start > 0 {
		if c := s[start-1]; isLocal(c) {
			alnum = alnum || isASCIIAlnum(c)
			start--
		} else if fullWidthAlnumBefore(s, start) {
			alnum = true
			start -= 3
		} else if start >= 3 && pointWidth(s, start-3) == 3 {
			start -= 3 // ． like .: a number's decimal part is not left behind
		} else {
			break
		}
	}
	end = domainEnd(s, at+w)
	if !alnum {
		return start, -1
	}
	return start, end
}

// domainEnd returns the end of the longest domain name at s[i] — labels of
// letters, digits and hyphens joined by dots, the last one at least two
// characters long and starting with a letter — or -1. Like a number, it
// does not end in a digit before a decimal point and a digit.
func domainEnd(s string, i int) int {
	end, dots := -1, 0
	for {
		k := labelEnd(s, i)
		if k == i {
			return end
		}
		if dots > 0 && k-i >= 2 && isASCIILetter(s[i]) && endOK(s, k, false) {
			end = k
		}
		if k+1 >= len(s) || s[k] != '.' || labelEnd(s, k+1) == k+1 {
			return end
		}
		i, dots = k+1, dots+1
	}
}

// labelEnd returns the end of the domain label at s[i].
func labelEnd(s string, i int) int {
	for i < len(s) {
		if isASCIIAlnum(s[i]) || s[i] == '-' {
			i++
		} else if fullWidthAlnum(s, i) {
			i += 3
		} else {
			break
		}
	}
	return i
}

func isLocal(c byte) bool {
	return isASCIIAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isASCIIAlnum(c byte) bool { return c >= '0' && c <= '9' || isASCIILetter(c) }
