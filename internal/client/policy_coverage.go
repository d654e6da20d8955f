package client

import "strings"

// APIPathEntriesAllowing returns the api_paths entries that allow path on
// their own: an entry that matches it, or a "!" entry that does not
// (solarnetwork-api.md §12.6).
func APIPathEntriesAllowing(apiPaths []string, path string) []string {
	var out []string
	for _, entry := range apiPaths {
		if entry == "" {
			continue
		}
		pattern, inverted := strings.CutPrefix(entry, "!")
		if antPatternMatches(pattern, path, true) != inverted {
			out = append(out, entry)
		}
	}
	return out
}

// SourceIDPatternCovers reports whether every source ID that covered
// matches, pattern matches too. It answers true only when that is certain:
// for a plain source ID, when pattern matches it; for a pattern, when
// pattern is a literal prefix followed by "/**" (or "**" alone) and covered
// lies under that prefix. Matching a pattern's text is not enough: "/a/*"
// matches the text "/a/**", which reaches deeper (§12.2).
func SourceIDPatternCovers(pattern, covered string) bool {
	if pattern == covered {
		return false
	}
	if !isAntPattern(covered) {
		return antPatternMatches(pattern, covered, true)
	}
	if pattern == "**" {
		return !strings.HasPrefix(covered, "/")
	}
	prefix, ok := strings.CutSuffix(pattern, "/**")
	return ok && !isAntPattern(prefix) && strings.HasPrefix(covered, prefix+"/")
}
