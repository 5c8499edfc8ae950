package credit

// Vehicle plates (GA 36): a province's abbreviation, the letter of the
// issuing city, then five characters (six on a new-energy plate: a D or F
// first or last), letters other than I and O and digits; written plain
// (闽D12345), with a middle dot or a space after the city letter
// (闽A·12345, 闽A 12345); learner, police, trailer, Hong Kong, Macao and
// consular plates have four characters and a suffix (闽A1234学: 学, 警, 挂,
// 港, 澳, 领, 使, 试, 超). A plate
// is whole: not glued to letters or digits on either side. That keeps out
// the codes that start like one: a special-equipment registration
// 梯11闽A00123(19) (digits before, a parenthesised year after), an industrial
// licence 闽XK06-00012 (a dash inside). A plate needs at least two digits:
// 闽AD等 words are text. Plates of the army and armed police (no province)
// are not read.

const plateProvinces = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领"

var plateSuffixes = []string{"学", "警", "挂", "港", "澳", "领", "使", "试", "超"}

// plateEnd returns the end of a plate whose province abbreviation is at
// s[i], or -1. glued says a span found before ends at s[i]: a word starts
// there, as it will after that span's marker.
func plateEnd(s string, i int, glued bool) int {
	j := i + 3
	if plateLetter(s, j) == 0 || !glued && (digitBefore(s, i) || letterBeforeWidth(s, i) > 0) {
		return -1
	}
	j += plateLetter(s, j)
	j += plateSepAt(s, j)
	n, digits := 0, 0
	for n < 7 {
		if w := digitWidth(s, j); w > 0 {
			digits++
			j += w
		} else if w := plateLetter(s, j); w > 0 {
			j += w
		} else {
			break
		}
		n++
	}
	suffix := wordAt(s, j, wPlateSuffix)
	if n < 4 || n == 4 && suffix == 0 || n > 6 || digits < 2 {
		return -1
	}
	j += suffix
	// Nor followed by a marker: what it hid may have been digits glued on.
	if letterWidth(s, j) > 0 || digitWidth(s, j) > 0 || dashAt(s, j) > 0 || !endOK(s, j, true) || markerAt(s, j) > 0 {
		return -1
	}
	if w := openAt(s, j); w > 0 && (digitWidth(s, j+w) > 0 || markerAt(s, j+w) > 0) {
		return -1
	}
	return j
}

// plateLetter: A–Z other than I and O, ASCII or full-width.
func plateLetter(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	if c := s[i] &^ 0x20; isASCIILetter(s[i]) && c != 'I' && c != 'O' {
		return 1
	}
	if c := fullWidth(s, i, false); c >= 0xA1 && c <= 0xBA && c != 0xA9 && c != 0xAF {
		return 3
	}
	return 0
}

// plateSepAt: ·, •, ・, ., a space or a dash after the city letter.
func plateSepAt(s string, i int) int {
	if i < len(s) && (s[i] == '.' || s[i] == ' ' || s[i] == '-') {
		return 1
	}
	return hasWordAt(s, i, []string{"·", "•", "・", "．", "－", "\u3000"})
}
