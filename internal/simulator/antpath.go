package simulator

import "strings"

// antMatch reports whether path matches an Ant-style pattern the way Spring's
// AntPathMatcher.match does (case-sensitive, "/" separated): "?" matches one
// character, "*" zero or more characters within a segment, "**" zero or more
// whole segments. A "{name}" template variable matches like "*"; regular
// expressions inside "{name:regex}" are not supported and also match like "*".
func antMatch(pattern, path string) bool { return antDoMatch(pattern, path, true) }

// antMatchStart is AntPathMatcher.matchStart: whether path could be the
// beginning of a path the pattern matches.
func antMatchStart(pattern, path string) bool { return antDoMatch(pattern, path, false) }

func antDoMatch(pattern, path string, fullMatch bool) bool {
	if strings.HasPrefix(path, "/") != strings.HasPrefix(pattern, "/") {
		return false
	}
	patt := splitPath(pattern)
	dirs := splitPath(path)
	pStart, pEnd := 0, len(patt)-1
	sStart, sEnd := 0, len(dirs)-1

	// Match segments up to the first "**".
	for pStart <= pEnd && sStart <= sEnd {
		if patt[pStart] == "**" {
			break
		}
		if !matchSegment(patt[pStart], dirs[sStart]) {
			return false
		}
		pStart++
		sStart++
	}
	if sStart > sEnd {
		// Path exhausted.
		if pStart > pEnd {
			return strings.HasSuffix(pattern, "/") == strings.HasSuffix(path, "/")
		}
		if !fullMatch {
			return true
		}
		if pStart == pEnd && patt[pStart] == "*" && strings.HasSuffix(path, "/") {
			return true
		}
		return onlyDoubleStars(patt[pStart : pEnd+1])
	} else if pStart > pEnd {
		// Pattern exhausted, path not.
		return false
	} else if !fullMatch && patt[pStart] == "**" {
		return true
	}

	// Match segments after the last "**".
	for pStart <= pEnd && sStart <= sEnd {
		if patt[pEnd] == "**" {
			break
		}
		if !matchSegment(patt[pEnd], dirs[sEnd]) {
			return false
		}
		pEnd--
		sEnd--
	}
	if sStart > sEnd {
		return onlyDoubleStars(patt[pStart : pEnd+1])
	}

	// Match the pieces between "**"s, leftmost first.
	for pStart != pEnd && sStart <= sEnd {
		next := -1
		for i := pStart + 1; i <= pEnd; i++ {
			if patt[i] == "**" {
				next = i
				break
			}
		}
		if next == pStart+1 {
			pStart++ // "**/**" is the same as "**"
			continue
		}
		pieceLen := next - pStart - 1
		strLen := sEnd - sStart + 1
		found := -1
	search:
		for i := 0; i <= strLen-pieceLen; i++ {
			for j := 0; j < pieceLen; j++ {
				if !matchSegment(patt[pStart+j+1], dirs[sStart+i+j]) {
					continue search
				}
			}
			found = sStart + i
			break
		}
		if found == -1 {
			return false
		}
		pStart = next
		sStart = found + pieceLen
	}
	return onlyDoubleStars(patt[pStart : pEnd+1])
}

// splitPath splits on "/" and drops empty segments (tokenizeToStringArray).
func splitPath(s string) []string {
	var out []string
	for seg := range strings.SplitSeq(s, "/") {
		if seg != "" {
			out = append(out, seg)
		}
	}
	return out
}

func onlyDoubleStars(segs []string) bool {
	for _, s := range segs {
		if s != "**" {
			return false
		}
	}
	return true
}

// matchSegment matches one path segment against a pattern segment with "?",
// "*" and "{...}" wildcards.
func matchSegment(patternStr, str string) bool {
	pattern, s := []rune(templateVarsAsStars(patternStr)), []rune(str)
	// Iterative glob matching with single-star backtracking.
	p, i := 0, 0
	starP, starI := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]) && pattern[p] != '*':
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			starP, starI = p, i
			p++
		case starP >= 0:
			starI++
			p, i = starP+1, starI
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// templateVarsAsStars rewrites "{...}" template variables as "*".
func templateVarsAsStars(pattern string) string {
	if !strings.Contains(pattern, "{") {
		return pattern
	}
	var b strings.Builder
	depth := 0
	for i := 0; i < len(pattern); i++ {
		switch c := pattern[i]; {
		case c == '{':
			if depth == 0 {
				b.WriteByte('*')
			}
			depth++
		case c == '}' && depth > 0:
			depth--
		case depth == 0:
			b.WriteByte(c)
		}
	}
	return b.String()
}
