// Package readme reads the project's READMEs as data — their headings,
// settings table, error-code table, the names they quote and their
// examples (fenced code blocks) — so that tests can keep README.zh-CN.md in
// step with README.md and run every GraphQL example against the demo. It
// only reads Markdown; it must not know about HTTP or the store.
package readme

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"strings"
)

// Doc is one README.
type Doc struct {
	Path  string
	Lines []string
}

// Load reads a README.
func Load(path string) (*Doc, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return &Doc{Path: path, Lines: lines}, sc.Err()
}

// Heading is a section heading (#, ## or ###). En is the English heading it
// translates, from a `<!-- en: … -->` line right above it (README.zh-CN.md),
// or its own text when there is none (README.md).
type Heading struct {
	Level int
	Text  string
	En    string
	Line  int // 1-based
}

var enMarker = regexp.MustCompile(`^<!--\s*en:\s*(.*?)\s*-->$`)

// Headings returns the headings outside code blocks, in order.
func (d *Doc) Headings() []Heading {
	var out []Heading
	fenced := false
	for i, l := range d.Lines {
		if strings.HasPrefix(l, "```") {
			fenced = !fenced
			continue
		}
		if fenced || !strings.HasPrefix(l, "#") {
			continue
		}
		level := len(l) - len(strings.TrimLeft(l, "#"))
		if level > 3 || !strings.HasPrefix(l[level:], " ") {
			continue
		}
		h := Heading{Level: level, Text: strings.TrimSpace(l[level:]), Line: i + 1}
		h.En = h.Text
		if i > 0 {
			if m := enMarker.FindStringSubmatch(strings.TrimSpace(d.Lines[i-1])); m != nil {
				h.En = m[1]
			}
		}
		out = append(out, h)
	}
	return out
}

// SectionAt is the heading (its En text) of the section line n (1-based) is in.
func (d *Doc) SectionAt(n int) string {
	s := ""
	for _, h := range d.Headings() {
		if h.Line > n {
			break
		}
		s = h.En
	}
	return s
}

// Row is a table row: its cells, trimmed, and its line.
type Row struct {
	Cells []string
	Line  int
}

// Table returns the rows (without header and separator) of the first table
// whose header's first cell is one of firstHeader.
func (d *Doc) Table(firstHeader ...string) []Row {
	for i := 0; i+1 < len(d.Lines); i++ {
		cells := splitRow(d.Lines[i])
		if len(cells) == 0 || !contains(firstHeader, cells[0]) || !strings.HasPrefix(strings.TrimSpace(d.Lines[i+1]), "|-") &&
			!strings.HasPrefix(strings.TrimSpace(d.Lines[i+1]), "| -") && !strings.HasPrefix(strings.TrimSpace(d.Lines[i+1]), "|:") {
			continue
		}
		var rows []Row
		for j := i + 2; j < len(d.Lines) && strings.HasPrefix(strings.TrimSpace(d.Lines[j]), "|"); j++ {
			rows = append(rows, Row{Cells: splitRow(d.Lines[j]), Line: j + 1})
		}
		return rows
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// splitRow splits a Markdown table row into trimmed cells; a `|` inside
// backticks does not split.
func splitRow(line string) []string {
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, "|") {
		return nil
	}
	var cells []string
	var cur strings.Builder
	code := false
	for i, r := range line[1:] {
		switch {
		case r == '`':
			code = !code
			cur.WriteRune(r)
		case r == '|' && !code:
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
		case r == '\\' && i+2 < len(line) && line[i+2] == '|':
			// an escaped pipe: keep it
		default:
			cur.WriteRune(r)
		}
	}
	return cells
}

// Setting is a row of the settings table: the variable and its default.
type Setting struct {
	Name, Default string
	Line          int
}

// Settings returns the settings table (first column "variable" in README.md,
// "变量" in README.zh-CN.md).
func (d *Doc) Settings() []Setting {
	var out []Setting
	for _, r := range d.Table("variable", "变量") {
		if len(r.Cells) < 2 {
			continue
		}
		out = append(out, Setting{Name: r.Cells[0], Default: r.Cells[1], Line: r.Line})
	}
	return out
}

// ErrorCode is a row of the errors table: its codes and HTTP statuses.
type ErrorCode struct {
	Codes    []string // the backticked codes of the first cell
	Statuses []string // the three-digit statuses of the second cell, in order
	Line     int
}

var (
	backticked = regexp.MustCompile("`([^`]+)`")
	status     = regexp.MustCompile(`\b[1-5]\d\d\b`)
)

// ErrorCodes returns the errors table (first column "code" or "代码").
func (d *Doc) ErrorCodes() []ErrorCode {
	var out []ErrorCode
	for _, r := range d.Table("code", "代码") {
		if len(r.Cells) < 2 {
			continue
		}
		e := ErrorCode{Line: r.Line, Statuses: status.FindAllString(r.Cells[1], -1)}
		for _, m := range backticked.FindAllStringSubmatch(r.Cells[0], -1) {
			e.Codes = append(e.Codes, m[1])
		}
		out = append(out, e)
	}
	return out
}

// Name is a name the README quotes in backticks outside code blocks: a
// setting, a code, an enum value (UPPER_CASE), a metric (creditgraph_…) or an
// HTTP path (/…). Line is where it is first quoted.
type Name struct {
	Text string
	Line int
}

var quotedName = regexp.MustCompile("^(?:[A-Z][A-Z0-9_]{2,}|creditgraph_[a-z0-9_]+|/[a-z0-9_./{}-]*)$")

// Names returns every such name once, in order of first appearance.
func (d *Doc) Names() []Name {
	var out []Name
	seen := map[string]bool{}
	fenced := false
	for i, l := range d.Lines {
		if strings.HasPrefix(l, "```") {
			fenced = !fenced
			continue
		}
		if fenced {
			continue
		}
		for _, m := range backticked.FindAllStringSubmatch(l, -1) {
			for _, part := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == ' ' || r == '=' }) {
				if quotedName.MatchString(part) && !seen[part] {
					seen[part] = true
					out = append(out, Name{Text: part, Line: i + 1})
				}
			}
		}
	}
	return out
}

// Example is a fenced code block.
type Example struct {
	Lang string
	Code string
	Line int // of the opening fence
	// Marker is what an `<!-- example: … -->` line right above the fence
	// says: `tier=PARTNER` (the key the example needs; none: PUBLIC) and
	// `vars={…}` (its variables, JSON, to the end of the marker).
	Tier string
	Vars string
}

var (
	exampleMarker = regexp.MustCompile(`^<!--\s*example:(.*?)-->$`)
	markerTier    = regexp.MustCompile(`\btier=(\w+)`)
	markerVars    = regexp.MustCompile(`\bvars=(\{.*\})\s*$`)
)

// Examples returns the fenced code blocks, in order.
func (d *Doc) Examples() []Example {
	var out []Example
	for i := 0; i < len(d.Lines); i++ {
		l := strings.TrimSpace(d.Lines[i])
		if !strings.HasPrefix(l, "```") {
			continue
		}
		e := Example{Lang: strings.TrimPrefix(l, "```"), Line: i + 1}
		for k := i - 1; k >= 0 && k >= i-2; k-- {
			if m := exampleMarker.FindStringSubmatch(strings.TrimSpace(d.Lines[k])); m != nil {
				if t := markerTier.FindStringSubmatch(m[1]); t != nil {
					e.Tier = t[1]
				}
				if v := markerVars.FindStringSubmatch(m[1]); v != nil {
					e.Vars = v[1]
				}
				break
			}
		}
		indent := len(d.Lines[i]) - len(strings.TrimLeft(d.Lines[i], " "))
		var body []string
		for i++; i < len(d.Lines) && !strings.HasPrefix(strings.TrimSpace(d.Lines[i]), "```"); i++ {
			line := d.Lines[i]
			if len(line) >= indent && strings.TrimSpace(line[:indent]) == "" {
				line = line[indent:]
			}
			body = append(body, line)
		}
		e.Code = strings.Join(body, "\n")
		out = append(out, e)
	}
	return out
}

// Comparable is the example without its comments and with its whitespace
// collapsed: what a translation must keep identical.
func (e Example) Comparable() string {
	var lines []string
	for _, l := range strings.Split(e.Code, "\n") {
		switch e.Lang {
		case "graphql", "sh":
			if i := strings.Index(l, "#"); i >= 0 && (i == 0 || l[i-1] == ' ') {
				l = l[:i]
			}
		case "js":
			if i := strings.Index(l, "// "); i >= 0 {
				l = l[:i]
			}
		}
		if f := strings.Fields(l); len(f) > 0 {
			lines = append(lines, strings.Join(f, " "))
		}
	}
	return e.Lang + " " + e.Tier + " " + e.Vars + "\n" + strings.Join(lines, "\n")
}

var curlData = regexp.MustCompile(`(?s)curl\b[^']*?/graphql\b.*?(?:-d|--data|--data-binary)\s+'(\{.*?\})'`)

// Request is the GraphQL request an example makes: a graphql block, with
// the variables of its marker, or a curl command that POSTs a JSON body to
// /graphql. ok is false for every other block.
func (e Example) Request() (body string, ok bool) {
	switch e.Lang {
	case "graphql":
		vars := e.Vars
		if vars == "" {
			vars = "null"
		}
		q, _ := json.Marshal(e.Code)
		return `{"query":` + string(q) + `,"variables":` + vars + `}`, true
	case "sh":
		if m := curlData.FindStringSubmatch(e.Code); m != nil {
			return m[1], true
		}
	}
	return "", false
}
