package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// A guide marks each CLI output it quotes with an HTML comment right before
// the fenced block, invisible in the rendered page:
//
//	<!-- output: getting-started/plan -->
//	```
//	...
//	```
//
// The guide tests run the CLI as the guide says and compare what it prints
// with the quote. A quote is a contiguous part of the output; an abridged
// one (said so in the text before it) leaves lines out where it has a line
// "# …" (or "…"), and each part between those must appear, in order and
// contiguous, in the output.

// guideQuote is one marked output block of a guide.
type guideQuote struct {
	name     string
	text     string // the block's text, as the reader sees it
	abridged bool   // the block has elision lines
}

var (
	quoteMarker = regexp.MustCompile(`^<!-- output: (\S+) -->$`)
	// ansiEscape is a colour or style escape (the tests run with -no-color,
	// a reader without it).
	ansiEscape = regexp.MustCompile("\x1b\\[[0-9;]*m")
	// rfc3339Time is an instant as the provider and the CLI print it.
	rfc3339Time = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z\b`)
	// uuid is terraform_data's ID.
	uuid = regexp.MustCompile(`\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`)
	// howLongAgo is a duration a warning counts from now.
	howLongAgo = regexp.MustCompile(`\((in )?\d+[dhms][0-9dhms]*( ago)?\)`)
	// elapsed is how long an apply step took.
	elapsed = regexp.MustCompile(`\b(complete after) \d+[0-9hms]*\b`)
)

// readGuideQuotes returns the marked output blocks of a guide template by
// name, and fails on an output block without a marker, a marker without a
// block, a name used twice or outside the guide, and an abridged block the
// text does not call abridged.
func readGuideQuotes(t *testing.T, guide string) map[string]guideQuote {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "templates", "guides", guide+".md.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	quotes, problems := parseGuideQuotes(guide, string(data))
	for _, p := range problems {
		t.Errorf("templates/guides/%s.md.tmpl: %s", guide, p)
	}
	return quotes
}

// parseGuideQuotes is readGuideQuotes on a template's text.
func parseGuideQuotes(guide, text string) (map[string]guideQuote, []string) {
	quotes := map[string]guideQuote{}
	var problems []string
	lines := strings.Split(text, "\n")
	marker := ""    // the marker on the line before, if any
	sinceBlock := 0 // the first line after the last fenced block
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if m := quoteMarker.FindStringSubmatch(line); m != nil {
			marker = m[1]
			continue
		}
		if !strings.HasPrefix(line, "```") {
			if marker != "" {
				problems = append(problems, fmt.Sprintf("line %d: the marker %q is not right before a fenced block", i, marker))
				marker = ""
			}
			continue
		}
		info := strings.TrimPrefix(line, "```")
		start := i + 1
		for i++; i < len(lines) && lines[i] != "```"; i++ {
		}
		block := strings.Join(lines[start:min(i, len(lines))], "\n")
		before := strings.Join(lines[sinceBlock:start-1], "\n")
		sinceBlock = i + 1
		name := marker
		marker = ""
		switch {
		case info != "" && name != "":
			problems = append(problems, fmt.Sprintf("line %d: output %q is marked on a ```%s block; CLI output blocks have no language", start, name, info))
		case info != "":
			continue
		case name == "":
			problems = append(problems, fmt.Sprintf("line %d: an output block without a <!-- output: %s/NAME --> marker: the guide tests cannot check it", start, guide))
			continue
		case !strings.HasPrefix(name, guide+"/"):
			problems = append(problems, fmt.Sprintf("line %d: output %q is not named %s/...", start, name, guide))
		}
		if _, dup := quotes[name]; dup {
			problems = append(problems, fmt.Sprintf("line %d: output %q is marked twice", start, name))
		}
		q := guideQuote{name: name, text: block}
		q.abridged = slices.ContainsFunc(strings.Split(block, "\n"), isElision)
		if q.abridged && !strings.Contains(before, "(abridged)") {
			problems = append(problems, fmt.Sprintf("line %d: output %q leaves lines out, but the text before it does not say \"(abridged)\"", start, name))
		}
		quotes[name] = q
	}
	return quotes, problems
}

// isElision reports whether a quoted line stands for lines left out.
func isElision(line string) bool {
	line = strings.TrimSpace(line)
	return line == "# …" || line == "…"
}

// normaliseOutput turns CLI output, or a quote of it, into the lines the
// guide tests compare: without colour, trailing spaces and blank lines at
// either end; OpenTofu's name as Terraform's (the guides show Terraform's
// commands); the token IDs of ids (real ID to the guide's placeholder);
// instants, terraform_data IDs, durations counted from now and apply
// timings as placeholders; and the lines of a wrapped paragraph (lines
// that start at column 0, as diagnostics' text does) joined, since the
// CLI wraps them by their length.
func normaliseOutput(text string, ids map[string]string) []string {
	text = ansiEscape.ReplaceAllString(text, "")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "OpenTofu", "Terraform")
	for id, placeholder := range ids {
		text = strings.ReplaceAll(text, id, placeholder)
	}
	text = rfc3339Time.ReplaceAllString(text, "<instant>")
	text = uuid.ReplaceAllString(text, "<uuid>")
	text = howLongAgo.ReplaceAllString(text, "(${1}<duration>${2})")
	text = elapsed.ReplaceAllString(text, "$1 <duration>")
	var out []string
	joining := false
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimRight(line, " \t")
		atColumn0 := line != "" && line[0] != ' ' && !isElision(line)
		if joining && atColumn0 {
			out[len(out)-1] += " " + line
			continue
		}
		out = append(out, line)
		joining = atColumn0
	}
	for len(out) > 0 && out[0] == "" {
		out = out[1:]
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// quoteParts splits normalised quote lines at elision lines, dropping
// blank lines next to an elision.
func quoteParts(lines []string) [][]string {
	var parts [][]string
	var part []string
	flush := func() {
		for len(part) > 0 && part[0] == "" {
			part = part[1:]
		}
		for len(part) > 0 && part[len(part)-1] == "" {
			part = part[:len(part)-1]
		}
		if len(part) > 0 {
			parts = append(parts, part)
		}
		part = nil
	}
	for _, l := range lines {
		if isElision(l) {
			flush()
			continue
		}
		part = append(part, l)
	}
	flush()
	return parts
}

// matchQuote reports whether quote, as normalised lines, appears in output:
// each part of it contiguous, the parts in order. If not, it returns a diff
// of the first part that does not, against the closest part of the output.
func matchQuote(quote, output []string) (bool, string) {
	from := 0
	for _, part := range quoteParts(quote) {
		at := indexLines(output[from:], part)
		if at < 0 {
			return false, diffLines(part, output[from:])
		}
		from += at + len(part)
	}
	return true, ""
}

// indexLines is the index of the first run of lines in s equal to sub, or -1.
func indexLines(s, sub []string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if slices.Equal(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// diffLines shows want against the stretch of got that matches it best
// (the longest common subsequence): "-" lines are quoted but not printed,
// "+" lines printed but not quoted.
func diffLines(want, got []string) string {
	n, m := len(want), len(got)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if want[i] == got[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type op struct {
		kind byte
		line string
	}
	var ops []op
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && want[i] == got[j]:
			ops = append(ops, op{' ', want[i]})
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			ops = append(ops, op{'+', got[j]})
			j++
		default:
			ops = append(ops, op{'-', want[i]})
			i++
		}
	}
	// Only the printed lines between the first and last quoted one.
	quoted := func(o op) bool { return o.kind != '+' }
	first, last := slices.IndexFunc(ops, quoted), len(ops)-1
	for last > 0 && !quoted(ops[last]) {
		last--
	}
	var b strings.Builder
	for _, o := range ops[max(first, 0) : last+1] {
		fmt.Fprintf(&b, "%c %s\n", o.kind, o.line)
	}
	return b.String()
}

// quoteChecker checks a guide's quotes against what the CLI printed, and
// that every quote was checked.
type quoteChecker struct {
	t       *testing.T
	guide   string
	quotes  map[string]guideQuote
	checked map[string]bool
	// variants edit quotes by name before they are compared, for a CLI
	// that prints them differently (as the guide's text says).
	variants map[string][]quoteEdit
}

// quoteEdit replaces old with new in a quote; old must be in it. The
// guide's text says so in note's words.
type quoteEdit struct{ old, new, note string }

func newQuoteChecker(t *testing.T, guide string) *quoteChecker {
	t.Helper()
	return &quoteChecker{t: t, guide: guide, quotes: readGuideQuotes(t, guide), checked: map[string]bool{}}
}

// check compares the quote called name with output, with the token IDs of
// ids (real ID to placeholder) as the guide writes them.
func (q *quoteChecker) check(name, output string, ids map[string]string) {
	q.t.Helper()
	quote, ok := q.quotes[name]
	if !ok {
		q.t.Errorf("templates/guides/%s.md.tmpl has no output marked %q", q.guide, name)
		return
	}
	q.checked[name] = true
	text := quote.text
	for _, e := range q.variants[name] {
		if !strings.Contains(text, e.old) {
			q.t.Errorf("templates/guides/%s.md.tmpl: the output %q has no %q to replace for this CLI", q.guide, name, e.old)
		}
		text = strings.Replace(text, e.old, e.new, 1)
	}
	if ok, diff := matchQuote(normaliseOutput(text, nil), normaliseOutput(output, ids)); !ok {
		q.t.Errorf("templates/guides/%s.md.tmpl: the output %q is not what the CLI prints (- quoted, + printed, after normalising IDs, times and wrapping):\n%s\nThe whole output:\n%s",
			q.guide, name, diff, output)
	}
}

// done fails for each quote no step checked.
func (q *quoteChecker) done() {
	q.t.Helper()
	for name := range q.quotes {
		if !q.checked[name] {
			q.t.Errorf("templates/guides/%s.md.tmpl: no step of the test produces the output %q", q.guide, name)
		}
	}
}

// Every guide marks each CLI output it quotes, so that a guide test can
// check it, and says "(abridged)" before each quote that leaves lines out.
func TestGuideQuotesMarked(t *testing.T) {
	templates, err := filepath.Glob(filepath.Join("..", "..", "templates", "guides", "*.md.tmpl"))
	if err != nil || len(templates) == 0 {
		t.Fatalf("no guide templates: %v", err)
	}
	for _, path := range templates {
		readGuideQuotes(t, strings.TrimSuffix(filepath.Base(path), ".md.tmpl"))
	}
}

func TestParseGuideQuotes(t *testing.T) {
	quotes, problems := parseGuideQuotes("g", "Text.\n\n<!-- output: g/plan -->\n```\nPlan: 1 to add, 0 to change, 0 to destroy.\n```\n\n```shell\nterraform plan\n```\n\nA part (abridged):\n\n<!-- output: g/part -->\n```\n  # …\n  + id = (known after apply)\n```\n")
	if len(problems) != 0 || len(quotes) != 2 || quotes["g/plan"].abridged || !quotes["g/part"].abridged {
		t.Errorf("quotes %v, problems %v", quotes, problems)
	}
	for text, want := range map[string]string{
		"```\nout\n```\n": "without a <!-- output: g/NAME --> marker",
		"<!-- output: g/a -->\n```shell\nls\n```\n":                                   "CLI output blocks have no language",
		"<!-- output: g/a -->\n\n```\nout\n```\n":                                     "is not right before a fenced block",
		"<!-- output: h/a -->\n```\nout\n```\n":                                       `is not named g/...`,
		"<!-- output: g/a -->\n```\n…\nout\n```\n":                                    `does not say "(abridged)"`,
		"<!-- output: g/a -->\n```\no\n```\n" + "<!-- output: g/a -->\n```\no\n```\n": "marked twice",
	} {
		_, problems := parseGuideQuotes("g", text)
		if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, want) }) {
			t.Errorf("%q: problems %q, want one with %q", text, problems, want)
		}
	}
}

func TestMatchQuote(t *testing.T) {
	output := `OpenTofu will perform the following actions:

  # solarnetwork_security_token.dashboard will be updated in-place
  ~ resource "solarnetwork_security_token" "dashboard" {
        created          = "2026-12-05T11:03:14.123456Z"
        id               = "AbCdEfGhIjKlMnOpQrSt"
      ~ status           = "Active" -> "Disabled"
        # (12 unchanged attributes hidden)
    }

Plan: 0 to add, 1 to change, 0 to destroy.

Warning: Token AbCdEfGhIjKlMnOpQrSt is due for rotation

Token AbCdEfGhIjKlMnOpQrSt ("Dashboard") expires at 2026-12-01T02:15:42.118Z
(in 5d23h59m), and rotate_before = "7d" made it due.`
	ids := map[string]string{"AbCdEfGhIjKlMnOpQrSt": "VYgknjMi0TLFeKQq42DR"}
	for quote, want := range map[string]bool{
		// The whole output, as Terraform prints it, other times and wrapping.
		`Terraform will perform the following actions:

  # solarnetwork_security_token.dashboard will be updated in-place
  ~ resource "solarnetwork_security_token" "dashboard" {
        created          = "2026-11-01T02:15:42.118204Z"
        id               = "VYgknjMi0TLFeKQq42DR"
      ~ status           = "Active" -> "Disabled"
        # (12 unchanged attributes hidden)
    }

Plan: 0 to add, 1 to change, 0 to destroy.

Warning: Token VYgknjMi0TLFeKQq42DR is due for rotation

Token VYgknjMi0TLFeKQq42DR ("Dashboard") expires at
2026-12-01T02:15:42.118Z (in 6d20h16m), and rotate_before = "7d" made it due.`: true,
		// A contiguous part.
		"      ~ status           = \"Active\" -> \"Disabled\"\n        # (12 unchanged attributes hidden)\n    }": true,
		// Abridged: the parts in order.
		"  ~ resource \"solarnetwork_security_token\" \"dashboard\" {\n        # …\n        # (12 unchanged attributes hidden)\n    }\n…\nPlan: 0 to add, 1 to change, 0 to destroy.": true,
		// A wrong count.
		"      ~ status           = \"Active\" -> \"Disabled\"\n        # (11 unchanged attributes hidden)": false,
		// A line the output does not have in that place.
		"  ~ resource \"solarnetwork_security_token\" \"dashboard\" {\n      ~ status           = \"Active\" -> \"Disabled\"": false,
		// Parts out of order.
		"Plan: 0 to add, 1 to change, 0 to destroy.\n# …\n  ~ resource \"solarnetwork_security_token\" \"dashboard\" {": false,
		// Another token's ID.
		`        id               = "pR3nT0k6Lm2QxW9aZc1V"`: false,
	} {
		ok, diff := matchQuote(normaliseOutput(quote, nil), normaliseOutput(output, ids))
		if ok != want {
			t.Errorf("quote\n%s\nmatched %v, want %v; diff:\n%s", quote, ok, want, diff)
		}
		if !ok && !strings.Contains(diff, "- ") && !strings.Contains(diff, "+ ") {
			t.Errorf("the diff for\n%s\nshows no difference:\n%s", quote, diff)
		}
	}
}
