package readme

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The two READMEs, from this package's directory.
var (
	enPath = filepath.Join("..", "..", "README.md")
	zhPath = filepath.Join("..", "..", "README.zh-CN.md")
)

func load(t *testing.T) (en, zh *Doc) {
	t.Helper()
	var err error
	if en, err = Load(enPath); err != nil {
		t.Fatal(err)
	}
	if zh, err = Load(zhPath); err != nil {
		t.Fatal(err)
	}
	return en, zh
}

// Defaults written in words, and their translations.
var defaultWords = map[string]string{"unset": "未设置"}

// sameDefault compares a default as README.md and README.zh-CN.md write it:
// the values in backticks must be the same, in order (the words around them
// are translated); a default without backticks is a word with a translation.
func sameDefault(en, zh string) bool {
	ev, zv := backticked.FindAllString(en, -1), backticked.FindAllString(zh, -1)
	if len(ev) > 0 || len(zv) > 0 {
		return slices.Equal(ev, zv)
	}
	if w, ok := defaultWords[en]; ok {
		return zh == w
	}
	return zh == en
}

// TestReadmeSections: every heading of README.md has its translation in
// README.zh-CN.md, marked <!-- en: heading --> on the line above, in the
// same order and at the same level.
func TestReadmeSections(t *testing.T) {
	en, zh := load(t)
	eh, zhh := en.Headings(), zh.Headings()
	byEn := map[string]Heading{}
	for _, h := range zhh[1:] {
		byEn[h.En] = h
	}
	prev := "the title"
	for _, h := range eh[1:] { // the title is the title
		z, ok := byEn[h.Text]
		switch {
		case !ok:
			t.Errorf("README.md has the section %q (line %d) that README.zh-CN.md does not translate.\n"+
				"  Add to README.zh-CN.md, after the section marked <!-- en: %s -->, the lines\n"+
				"    <!-- en: %s -->\n    %s <Chinese heading>\n  and a translation of the section's text (its code blocks copied as they are).",
				h.Text, h.Line, prev, h.Text, strings.Repeat("#", h.Level))
		case z.Level != h.Level:
			t.Errorf("README.zh-CN.md:%d translates %q at level %d; README.md has it at level %d", z.Line, h.Text, z.Level, h.Level)
		}
		prev = h.Text
	}
	enTexts := map[string]bool{}
	for _, h := range eh {
		enTexts[h.Text] = true
	}
	var order []string
	for _, h := range zhh[1:] {
		if !enTexts[h.En] {
			t.Errorf("README.zh-CN.md:%d: the section %q names <!-- en: %s -->, which is no heading of README.md: "+
				"if README.md renamed or removed it, do the same here (every Chinese heading needs that marker on the line above it)", h.Line, h.Text, h.En)
			continue
		}
		order = append(order, h.En)
	}
	var enOrder []string
	for _, h := range eh[1:] {
		if _, ok := byEn[h.Text]; ok {
			enOrder = append(enOrder, h.Text)
		}
	}
	if !slices.Equal(order, enOrder) {
		t.Errorf("README.zh-CN.md's sections are not in README.md's order:\n  README.md:       %s\n  README.zh-CN.md: %s", strings.Join(enOrder, " | "), strings.Join(order, " | "))
	}
}

// TestReadmeSettings: the settings tables list the same variables with the
// same defaults, in the same order.
func TestReadmeSettings(t *testing.T) {
	en, zh := load(t)
	es, zs := en.Settings(), zh.Settings()
	if len(es) < 10 {
		t.Fatalf("README.md: found %d settings: is the table still headed | variable | default | meaning |?", len(es))
	}
	zhBy := map[string]Setting{}
	for _, s := range zs {
		zhBy[s.Name] = s
	}
	prev := "the header"
	for _, s := range es {
		z, ok := zhBy[s.Name]
		want := s.Default
		if w, ok := defaultWords[want]; ok {
			want = w
		}
		switch {
		case !ok:
			t.Errorf("README.zh-CN.md's settings table (## 设置) lacks %s, which README.md:%d has: add the row\n"+
				"    | %s | %s | <含义> |\n  after the row of %s", s.Name, s.Line, s.Name, want, prev)
		case !sameDefault(s.Default, z.Default):
			t.Errorf("README.zh-CN.md:%d: %s defaults to %s; README.md:%d says %s: write %s (the values in backticks as they are)", z.Line, s.Name, z.Default, s.Line, s.Default, want)
		}
		prev = s.Name
	}
	enBy := map[string]bool{}
	for _, s := range es {
		enBy[s.Name] = true
	}
	for _, z := range zs {
		if !enBy[z.Name] {
			t.Errorf("README.zh-CN.md:%d lists the setting %s, which README.md's Settings table does not: remove it, or add it to README.md", z.Line, z.Name)
		}
	}
	if t.Failed() {
		return
	}
	for i := range es {
		if es[i].Name != zs[i].Name {
			t.Errorf("the settings are in another order: README.md row %d is %s, README.zh-CN.md's %s", i+1, es[i].Name, zs[i].Name)
			break
		}
	}
}

// TestReadmeErrorCodes: the error tables have the same codes with the same
// HTTP statuses, row for row.
func TestReadmeErrorCodes(t *testing.T) {
	en, zh := load(t)
	ec, zc := en.ErrorCodes(), zh.ErrorCodes()
	if len(ec) < 5 {
		t.Fatalf("README.md: found %d error rows: is the table still headed | code | HTTP status | meaning |?", len(ec))
	}
	key := func(e ErrorCode) string { return strings.Join(e.Codes, ", ") }
	zhBy := map[string]ErrorCode{}
	for _, z := range zc {
		zhBy[key(z)] = z
	}
	for _, e := range ec {
		z, ok := zhBy[key(e)]
		switch {
		case !ok:
			t.Errorf("README.zh-CN.md's errors table (### 错误) lacks the row of %s (README.md:%d): add\n    | `%s` | %s | <含义> |",
				key(e), e.Line, strings.Join(e.Codes, "`、`"), strings.Join(e.Statuses, " / "))
		case !slices.Equal(z.Statuses, e.Statuses):
			t.Errorf("README.zh-CN.md:%d: %s has statuses %v; README.md:%d has %v", z.Line, key(e), z.Statuses, e.Line, e.Statuses)
		}
	}
	enBy := map[string]bool{}
	for _, e := range ec {
		enBy[key(e)] = true
	}
	for _, z := range zc {
		if !enBy[key(z)] {
			t.Errorf("README.zh-CN.md:%d has the error row %s, which README.md's Errors table does not (as one row)", z.Line, key(z))
		}
	}
}

// TestReadmeExamplesMatch: both READMEs have the same code blocks (comments
// aside), with the same markers, in the same order.
func TestReadmeExamplesMatch(t *testing.T) {
	en, zh := load(t)
	ee, ze := en.Examples(), zh.Examples()
	zhLeft := map[string]int{}
	for _, z := range ze {
		zhLeft[z.Comparable()]++
	}
	for _, e := range ee {
		c := e.Comparable()
		if zhLeft[c] > 0 {
			zhLeft[c]--
			continue
		}
		marker := ""
		if e.Tier != "" || e.Vars != "" {
			marker = fmt.Sprintf("  with the marker line above it as in README.md:%d\n", e.Line-1)
		}
		t.Errorf("README.md:%d has a ```%s block that README.zh-CN.md lacks (or has changed): copy it, as it is (comments may be translated), into the section marked <!-- en: %s -->\n%s%s",
			e.Line, e.Lang, en.SectionAt(e.Line), marker, indent(e.Code))
	}
	enHas := map[string]bool{}
	for _, e := range ee {
		enHas[e.Comparable()] = true
	}
	for _, z := range ze {
		if !enHas[z.Comparable()] {
			t.Errorf("README.zh-CN.md:%d has a ```%s block README.md does not (a stale copy?): make it README.md's block again, or remove it\n%s", z.Line, z.Lang, indent(z.Code))
		}
	}
}

// TestReadmeNames: every setting, code, metric and path README.md quotes is
// quoted in README.zh-CN.md too, and the other way round.
func TestReadmeNames(t *testing.T) {
	en, zh := load(t)
	zhHas, enHas := map[string]bool{}, map[string]bool{}
	for _, n := range zh.Names() {
		zhHas[n.Text] = true
	}
	for _, n := range en.Names() {
		enHas[n.Text] = true
		if !zhHas[n.Text] {
			t.Errorf("README.md:%d quotes `%s`; README.zh-CN.md never does: translate that passage into the section marked <!-- en: %s -->", n.Line, n.Text, en.SectionAt(n.Line))
		}
	}
	for _, n := range zh.Names() {
		if !enHas[n.Text] {
			t.Errorf("README.zh-CN.md:%d quotes `%s`; README.md never does: README.md is the source — add it there first, or remove it here", n.Line, n.Text)
		}
	}
}

func indent(s string) string { return "    " + strings.ReplaceAll(s, "\n", "\n    ") }
