# Moves, in a generated doc's nested schemas, the attributes whose
# description starts with "Required." from "Optional:" to a "Required:"
# group, dropping that word. The framework cannot mark an attribute of an
# optional single block required without making the block required too, so
# such attributes are optional in the schema and checked by the provider;
# this makes the docs list them as the user must write them.
# Usage: awk -f docs-required-in-blocks.awk FILE > NEW
function flush_optional(   i) {
	if (nreq > 0) {
		if (saw_required) {
			print "docs-required-in-blocks: " FILENAME ": a nested schema has a Required group already" > "/dev/stderr"
			exit 2
		}
		print "Required:"
		print ""
		for (i = 1; i <= nreq; i++) print req[i]
		if (nopt > 0) print ""
	}
	if (nopt > 0) {
		print "Optional:"
		print ""
		for (i = 1; i <= nopt; i++) print opt[i]
	}
	nreq = 0; nopt = 0
}
/^### Nested Schema for / { nested = 1; saw_required = 0 }
/^## / { nested = 0 }
nested && /^Required:$/ { saw_required = 1 }
nested && /^Optional:$/ { in_optional = 1; nreq = 0; nopt = 0; getline blank; next }
in_optional && /^- `/ {
	if ($0 ~ /^- `[^`]+` \([^)]*\) Required\. /) {
		sub(/\) Required\. /, ") ")
		req[++nreq] = $0
	} else {
		opt[++nopt] = $0
	}
	next
}
in_optional { in_optional = 0; flush_optional() }
{ print }
END { if (in_optional) flush_optional() }
