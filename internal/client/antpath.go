package client

import "strings"

// The policy evaluator matches source IDs, metadata paths and API paths as
// SolarNetwork does, with Spring's AntPathMatcher: case-sensitive, "/"
// separated, "?" one character, "*" any characters within a segment, "**"
// any number of whole segments, "{name}" like "*" (solarnetwork-api.md §7.1).
// This is written from AntPathMatcher.doMatch's rules, independently of the
// simulator's matcher, which the differential fuzz test compares it with.

// antPatternMatches is AntPathMatcher.match (whole) or matchStart (!whole:
// the path could be the start of something the pattern matches).
func antPatternMatches(pattern, path string, whole bool) bool {
	if strings.HasPrefix(pattern, "/") != strings.HasPrefix(path, "/") {
		return false
	}
	pat, segs := pathSegments(pattern), pathSegments(path)
	first := -1
	for i, p := range pat {
		if p == "**" {
			first = i
			break
		}
	}
	// The segments before the first "**" pair one to one.
	head := len(pat)
	if first >= 0 {
		head = first
	}
	n := min(head, len(segs))
	for i := range n {
		if !antSegmentMatches(pat[i], segs[i]) {
			return false
		}
	}
	if len(segs) <= head {
		// The path ran out first (or with the pattern).
		rest := pat[len(segs):]
		if len(rest) == 0 {
			// Only here does a trailing "/" matter.
			return strings.HasSuffix(pattern, "/") == strings.HasSuffix(path, "/")
		}
		if !whole {
			return true
		}
		if len(rest) == 1 && rest[0] == "*" && strings.HasSuffix(path, "/") {
			return true
		}
		return allDoubleStars(rest)
	}
	if first < 0 {
		return false // the pattern ran out, the path did not
	}
	if !whole {
		return true // "**" can reach whatever follows
	}
	return antTailMatches(pat[first:], segs[first:])
}

// antTailMatches matches segments where "**" takes any number of them.
func antTailMatches(pat, segs []string) bool {
	if len(pat) == 0 {
		return len(segs) == 0
	}
	if pat[0] == "**" {
		for k := 0; k <= len(segs); k++ {
			if antTailMatches(pat[1:], segs[k:]) {
				return true
			}
		}
		return false
	}
	return len(segs) > 0 && antSegmentMatches(pat[0], segs[0]) && antTailMatches(pat[1:], segs[1:])
}

// pathSegments splits on "/", dropping empty segments as Spring's
// tokenizeToStringArray does.
func pathSegments(s string) []string {
	var out []string
	for _, seg := range strings.Split(s, "/") {
		if seg != "" {
			out = append(out, seg)
		}
	}
	return out
}

func allDoubleStars(segs []string) bool {
	for _, s := range segs {
		if s != "**" {
			return false
		}
	}
	return true
}

// antSegmentMatches matches one segment: "?" is one character, "*" (and a
// "{...}" variable) any run of characters.
func antSegmentMatches(pattern, s string) bool {
	return globMatches([]rune(bracesAsStar(pattern)), []rune(s))
}

func globMatches(p, s []rune) bool {
	for len(p) > 0 {
		switch p[0] {
		case '*':
			for len(p) > 0 && p[0] == '*' {
				p = p[1:]
			}
			for k := 0; k <= len(s); k++ {
				if globMatches(p, s[k:]) {
					return true
				}
			}
			return false
		case '?':
			if len(s) == 0 {
				return false
			}
		default:
			if len(s) == 0 || s[0] != p[0] {
				return false
			}
		}
		p, s = p[1:], s[1:]
	}
	return len(s) == 0
}

// bracesAsStar turns each outermost "{...}" into "*".
func bracesAsStar(pattern string) string {
	open := strings.IndexByte(pattern, '{')
	if open < 0 {
		return pattern
	}
	depth, closed := 0, -1
	for i := open; i < len(pattern); i++ {
		if pattern[i] == '{' {
			depth++
		} else if pattern[i] == '}' {
			if depth--; depth == 0 {
				closed = i
				break
			}
		}
	}
	if closed < 0 {
		return pattern[:open] + "*" // an unclosed "{" takes the rest
	}
	return pattern[:open] + "*" + bracesAsStar(pattern[closed+1:])
}

// isAntPattern is AntPathMatcher.isPattern: a "*" or "?", or a "}" after a "{".
func isAntPattern(s string) bool {
	brace := false
	for _, c := range s {
		switch {
		case c == '*' || c == '?':
			return true
		case c == '{':
			brace = true
		case c == '}' && brace:
			return true
		}
	}
	return false
}
