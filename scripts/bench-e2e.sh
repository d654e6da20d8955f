#!/usr/bin/env bash
# End-to-end benchmark: the provider driven by a real CLI against the local
# simulator, N tokens at a time. Writes a Markdown report (BENCHMARKS.md by
# default). Settings, all optional, from the environment (make variables):
#
#   N=1000          tokens per configuration for the plan and apply figures
#   RUNS=3          paired runs per timed figure (medians are reported)
#   CLI=terraform   the CLI: a path or a name on PATH (default: terraform on
#                   PATH, else OpenTofu from scripts/build-cli.sh)
#   LATENCY=50ms    the simulator's per-request delay for the parallel-create figure
#   LATENCY_N=100   creates in that figure, with -parallelism=$PARALLELISM (10)
#   BASELINE=ref    also measure the provider built from this git ref, paired
#   OUT=file        where the report goes (default BENCHMARKS.md); what the
#                   file has above the line "<!-- make bench-e2e -->" is kept
#
# Timings on a shared machine are noisy, so each timed figure is a median of
# RUNS interleaved runs, and besides wall time each run records CPU time
# (the CLI's and its providers', and the provider's alone), which other load
# disturbs far less. Ratios are taken against a do-nothing resource with the
# same schema (solarnetwork_floor_token, built in with the benchfloor tag)
# and against the CLI's own terraform_data. Requests and response bytes are
# counted by the simulator, the provider's peak RSS and CPU by /usr/bin/time
# around each provider process, and its log output with TF_LOG unset as the
# bytes it writes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

N=${N:-1000}
RUNS=${RUNS:-3}
LATENCY=${LATENCY:-50ms}
LATENCY_N=${LATENCY_N:-100}
PARALLELISM=${PARALLELISM:-10}
BASELINE=${BASELINE:-}
OUT=${OUT:-BENCHMARKS.md}
case $OUT in /*) ;; *) OUT=$root/$OUT ;; esac

if [ -z "${CLI:-}" ]; then
	CLI=$(command -v terraform || scripts/build-cli.sh tofu)
fi
CLI=$(command -v "$CLI")
unset TF_LOG TF_LOG_PATH TF_LOG_CORE TF_LOG_PROVIDER TF_LOG_SDK TF_LOG_SDK_PROTO TF_LOG_SDK_FRAMEWORK
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
usage_tool=
[ -x /usr/bin/time ] && usage_tool=/usr/bin/time

work=$(mktemp -d)
[ -z "${BENCH_KEEP:-}" ] || echo "work directory: $work" >&2
sims=()
cleanup() {
	status=$?
	for pid in "${sims[@]}"; do
		kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	done
	[ -n "${BENCH_KEEP:-}" ] || rm -rf "$work"
	exit $status
}
trap cleanup EXIT INT TERM

log() { echo "==> $*" >&2; }

# --- builds -----------------------------------------------------------------

log "Building the provider (with the floor resource) and the simulator"
go build -trimpath -tags benchfloor -ldflags "-X main.version=bench" -o "$work/bin/provider" .
go build -trimpath -o "$work/bin/solarsim" ./cmd/solarsim
builds=(new)
if [ -n "$BASELINE" ]; then
	log "Building the provider at $BASELINE"
	mkdir -p "$work/baseline-src"
	git archive "$BASELINE" | tar -x -C "$work/baseline-src"
	(cd "$work/baseline-src" && go build -trimpath -ldflags "-X main.version=baseline" -o "$work/bin/provider-base" .)
	builds=(base new)
fi

# Each build gets a plugin directory whose provider is a wrapper that execs
# the real binary under /usr/bin/time (peak RSS and CPU of every provider
# process, appended to $BENCH_RUN_DIR/provider), with its stderr kept when
# BENCH_KEEP_LOG is set.
for b in "${builds[@]}"; do
	real=$work/bin/provider
	[ "$b" = base ] && real=$work/bin/provider-base
	mkdir -p "$work/plugins-$b"
	cat >"$work/plugins-$b/terraform-provider-solarnetwork" <<WRAP
#!/usr/bin/env bash
[ -n "\${BENCH_KEEP_LOG:-}" ] && exec 2>>"\$BENCH_RUN_DIR/stderr"
if [ -n "$usage_tool" ] && [ -n "\${BENCH_RUN_DIR:-}" ]; then
	exec $usage_tool -f "%M %U %S" -a -o "\$BENCH_RUN_DIR/provider" "$real" "\$@"
fi
exec "$real" "\$@"
WRAP
	chmod +x "$work/plugins-$b/terraform-provider-solarnetwork"
	cat >"$work/cli-$b.tfrc" <<RC
provider_installation {
  dev_overrides {
    "solarnetwork/solarnetwork" = "$work/plugins-$b"
  }
  direct {}
}
RC
done

cli_version=$(TF_CLI_CONFIG_FILE=$work/cli-new.tfrc "$CLI" version | sed -n 1p)
log "CLI: $cli_version ($CLI)"

# --- simulators -------------------------------------------------------------

# start_sim NAME [solarsim flags]: a simulator whose env file is $work/NAME.env
# and whose counts go to $work/NAME.stats on SIGUSR1.
declare -A sim_pid
start_sim() {
	local name=$1
	shift
	# The account owns every node a token names (node_ids go up to the
	# token count plus one); solarsim's default is nodes 1 to 200.
	local last_node=$(((N > LATENCY_N ? N : LATENCY_N) + 1))
	"$work/bin/solarsim" -node-ids "1-$last_node" -env-file "$work/$name.env" -stats-file "$work/$name.stats" "$@" >/dev/null 2>"$work/$name.log" &
	sim_pid[$name]=$!
	sims+=($!)
	for _ in $(seq 1 100); do
		[ -s "$work/$name.env" ] && return 0
		sleep 0.1
	done
	cat "$work/$name.log" >&2
	return 1
}

# snapshot NAME DEST: the simulator's counts since the last snapshot.
snapshot() {
	local name=$1 dest=$2
	rm -f "$work/$name.stats"
	kill -USR1 "${sim_pid[$name]}"
	for _ in $(seq 1 200); do
		[ -s "$work/$name.stats" ] && { mv "$work/$name.stats" "$dest"; return 0; }
		sleep 0.02
	done
	echo "the simulator $name wrote no counts" >&2
	return 1
}

# count FILE METHOD PATHSUFFIX FIELD: requests or bytes in a counts file.
count() {
	awk -v m="$2" -v p="$3" -v f="\"$4\":" '
		/^  "/ { key = $0; sub(/^  "/, "", key); sub(/": \{$/, "", key); split(key, kp, " ");
			hit = (kp[1] == m || m == "") && (p == "" || substr(kp[2], length(kp[2]) - length(p) + 1) == p) }
		$1 == f && hit { gsub(/,/, "", $2); n += $2 }
		END { print n + 0 }' "$1"
}

# --- configurations ---------------------------------------------------------

# policy SHAPE: the policy of each token. "ids" restricts nodes and sources,
# "one" sets a single field.
policy() {
	case $1 in
	ids) echo 'node_ids = [count.index + 1, count.index + 2]
    source_ids = ["/site${count.index}/**", "/meter/*"]' ;;
	one) echo 'min_aggregation = "Hour"' ;;
	esac
}

# A public age recipient (its identity is not needed: nothing is decrypted).
bench_recipient=age1rx9vn6pv74tu938trafkzxxcs86a0anunhlm3jdhrze3rs5rre7qh98hmr

# write_config DIR KIND SHAPE COUNT: KIND is token, enc (a token whose secret
# is encrypted to a recipient), floor or data.
write_config() {
	local dir=$1 kind=$2 shape=$3 n=$4
	mkdir -p "$dir"
	if [ "$kind" = data ]; then
		cat >"$dir/main.tf" <<TF
resource "terraform_data" "t" {
  count = $n
  input = {
    type = "ReadNodeData"
    name = "bench \${count.index}"
    policy = {
    $(policy "$shape")
    }
  }
}
TF
		return
	fi
	local type=solarnetwork_security_token recipients=
	[ "$kind" = floor ] && type=solarnetwork_floor_token
	[ "$kind" = enc ] && recipients="secret_recipients = [\"$bench_recipient\"]"
	cat >"$dir/main.tf" <<TF
terraform {
  required_providers {
    solarnetwork = { source = "solarnetwork/solarnetwork" }
  }
}

provider "solarnetwork" {}

resource "$type" "t" {
  count = $n
  type  = "ReadNodeData"
  name  = "bench \${count.index}"
  $recipients
  policy {
    $(policy "$shape")
  }
}
TF
}

# --- running ----------------------------------------------------------------

# run_cli LABEL BUILD SIM DIR ARGS...: runs the CLI in DIR against simulator
# SIM with the provider of BUILD, and appends to $work/results one line:
# LABEL wall-s cpu-s provider-cpu-s provider-peak-KiB. Output goes to DIR/out.
results=$work/results
: >"$results"
run_cli() {
	local label=$1 build=$2 sim=$3 dir=$4
	shift 4
	local rd
	rd=$(mktemp -d "$work/run.XXXXXX")
	local start end status=0
	start=$(date +%s%N)
	(
		set -a
		# shellcheck disable=SC1090
		. "$work/$sim.env"
		set +a
		export BENCH_RUN_DIR=$rd TF_CLI_CONFIG_FILE=$work/cli-$build.tfrc
		cd "$dir"
		if [ -n "$usage_tool" ]; then
			$usage_tool -f "%e %U %S" -o "$rd/cli" "$CLI" "$@" -no-color -input=false >"$dir/out" 2>&1
		else
			"$CLI" "$@" -no-color -input=false >"$dir/out" 2>&1
		fi
	) || status=$?
	end=$(date +%s%N)
	# plan -detailed-exitcode answers 2 for a plan with changes: never expected here.
	if [ "$status" != 0 ]; then
		echo "failed ($status): $CLI $* in $dir" >&2
		tail -20 "$dir/out" >&2
		return 1
	fi
	awk -v label="$label" -v ns=$((end - start)) -v cli="$rd/cli" -v prov="$rd/provider" 'BEGIN {
		cpu = "n/a"; pcpu = "n/a"; rss = "n/a"
		if ((getline line < cli) > 0) { split(line, f, " "); cpu = f[2] + f[3] }
		while ((getline line < prov) > 0) { split(line, f, " "); if (f[1] ~ /^[0-9]+$/) { pcpu += f[2] + f[3]; if (f[1] + 0 > rss + 0) rss = f[1] } }
		printf "%s %.2f %s %s %s\n", label, ns / 1e9, cpu, pcpu, rss }' >>"$results"
	echo "$rd"
}

# measured LABEL BUILD SIM DIR ARGS...: run_cli once with the simulator's
# counts and the provider's log output recorded in $work/m/LABEL.
measured() {
	local label=$1 build=$2 sim=$3 dir=$4
	shift 4
	local m=$work/m/$label rd
	mkdir -p "$m"
	snapshot "$sim" "$m/before"
	rd=$(export BENCH_KEEP_LOG=1 && run_cli "$label" "$build" "$sim" "$dir" "$@")
	snapshot "$sim" "$m/counts"
	touch "$rd/stderr"
	wc -c <"$rd/stderr" >"$m/log-bytes"
}

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# med LABEL COLUMN: the median of a column (2 wall, 3 CPU, 4 provider CPU,
# 5 provider peak KiB) over LABEL's runs.
med() { awk -v l="$1" -v c="$2" '$1 == l && $c != "n/a" { print $c }' "$results" | median; }
runs_of() { awk -v l="$1" -v c="$2" '$1 == l { printf "%s%s", sep, $c; sep = ", " }' "$results"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || b + 0 == 0) print "n/a"; else printf "%.2f\n", a / b }'; }
mib() { awk -v k="$1" 'BEGIN { if (k == "n/a" || k == "") print "n/a"; else printf "%.0f\n", k / 1024 }'; }

# --- 1. creating N tokens -----------------------------------------------------

# Variants: "ids" everywhere; the one-field policy for the token and
# terraform_data only.
for b in "${builds[@]}"; do
	for s in ids one; do
		start_sim "$b-$s"
		write_config "$work/$b-token-$s" token "$s" "$N"
		log "[$b] apply: $N tokens, policy shape $s"
		measured "apply:$b-token-$s" "$b" "$b-$s" "$work/$b-token-$s" apply -auto-approve
	done
done
# Encrypted secrets: this tree only (a baseline may predate them).
start_sim new-enc
write_config "$work/new-enc-ids" enc ids "$N"
log "[new] apply: $N tokens with encrypted secrets, policy shape ids"
measured "apply:new-enc-ids" new new-enc "$work/new-enc-ids" apply -auto-approve
write_config "$work/floor-ids" floor ids "$N"
log "apply: $N floor tokens"
measured "apply:floor-ids" new new-ids "$work/floor-ids" apply -auto-approve
for s in ids one; do
	write_config "$work/data-$s" data "$s" "$N"
	log "apply: $N terraform_data, shape $s"
	run_cli "apply:data-$s" new new-$s "$work/data-$s" apply -auto-approve >/dev/null
done

# --- 2. planning N tokens -----------------------------------------------------

# Each run plans every variant once, in an order rotated per run, so that
# load from elsewhere on the machine falls on all of them alike.
variants=()
for s in ids one; do
	for b in "${builds[@]}"; do variants+=("$b-token-$s:$b:$b-$s"); done
	[ "$s" = ids ] && variants+=("new-enc-ids:new:new-enc" "floor-ids:new:new-ids")
	variants+=("data-$s:new:new-$s")
done
nv=${#variants[@]}
for run in $(seq 1 "$RUNS"); do
	log "plan, run $run of $RUNS"
	for i in $(seq 0 $((nv - 1))); do
		IFS=: read -r dir build sim <<<"${variants[$(((i + run) % nv))]}"
		run_cli "plan:$dir" "$build" "$sim" "$work/$dir" plan -detailed-exitcode >/dev/null
	done
done
for v in "${variants[@]}"; do
	IFS=: read -r dir build sim <<<"$v"
	[ "${dir#data}" != "$dir" ] && continue
	measured "planlog:$dir" "$build" "$sim" "$work/$dir" plan -detailed-exitcode
done

# --- 3. parallel creates against a distant server ----------------------------

lat_ms=$(awk -v l="$LATENCY" 'BEGIN { v = l + 0; if (l ~ /ms$/) print v; else if (l ~ /s$/) print v * 1000; else print v }')
for b in "${builds[@]}"; do
	start_sim "$b-lat" -latency "$LATENCY"
	write_config "$work/$b-token-lat" token ids "$LATENCY_N"
done
write_config "$work/floor-lat" floor ids "$LATENCY_N"
for run in $(seq 1 "$RUNS"); do
	log "apply with $LATENCY per request: $LATENCY_N tokens, -parallelism=$PARALLELISM, run $run of $RUNS"
	for b in "${builds[@]}"; do
		snapshot "$b-lat" "$work/lat-$b-before"
		run_cli "lat:$b" "$b" "$b-lat" "$work/$b-token-lat" apply -auto-approve -parallelism="$PARALLELISM" >/dev/null
		snapshot "$b-lat" "$work/lat-$b-counts"
		run_cli "latdestroy:$b" "$b" "$b-lat" "$work/$b-token-lat" destroy -auto-approve -parallelism="$PARALLELISM" >/dev/null
	done
	run_cli "lat:floor" new new-lat "$work/floor-lat" apply -auto-approve -parallelism="$PARALLELISM" >/dev/null
	run_cli "latdestroy:floor" new new-lat "$work/floor-lat" destroy -auto-approve -parallelism="$PARALLELISM" >/dev/null
done

# --- report -------------------------------------------------------------------

M=$work/m
list=/solaruser/api/v1/sec/user/auth-tokens
per() { awk -v a="$1" -v n="$2" 'BEGIN { printf "%.2f\n", a / n }'; }
creates_per=$(awk -v n="$LATENCY_N" -v p="$PARALLELISM" 'BEGIN { print int((n + p - 1) / p) }')
lat_counts=$work/lat-new-counts
lat_requests=$(count "$lat_counts" "" "" requests)
lat_lists=$(count "$lat_counts" GET "$list" requests)
per_create=$(awk -v r="$lat_requests" -v l="$lat_lists" -v n="$LATENCY_N" 'BEGIN { printf "%g\n", (r - l) / n }')
# The request floor: each create's requests one after another, PARALLELISM
# creates at a time, and the lists of the provider processes that configure.
lat_floor=$(awk -v c="$creates_per" -v r="$per_create" -v l="$lat_lists" -v ms="$lat_ms" 'BEGIN { printf "%.2f\n", (c * r + l) * ms / 1000 }')
cmd="make bench-e2e N=$N RUNS=$RUNS${BASELINE:+ BASELINE=$BASELINE}"
marker='<!-- make bench-e2e -->'
kept=$work/kept
if [ -f "$OUT" ] && grep -qxF "$marker" "$OUT"; then
	sed "/^$marker\$/q" "$OUT" >"$kept"
else
	printf '# Benchmarks\n\n%s\n' "$marker" >"$kept"
fi

{
	cat "$kept"
	echo
	echo "## End-to-end figures"
	echo
	echo "Written by \`$cmd\` (scripts/bench-e2e.sh); the Go benchmarks are \`make bench\`."
	echo "Every timed figure is the median of $RUNS interleaved runs. The machine is shared, so wall times"
	echo "swing with other load; CPU seconds, counts and bytes are steadier."
	echo
	echo "- Machine: $(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr)"
	echo "- $(go version | sed 's/^go version //; s/^/Go /')"
	echo "- CLI: $cli_version"
	if [ -n "$BASELINE" ]; then
		echo "- \`base\`: the provider at \`$(git rev-parse --short "$BASELINE")\` ($(git log -1 --format=%s "$BASELINE" | cut -c1-90)); \`new\`: this tree"
	fi
	echo
	echo "Each token has a name and a policy: \`ids\` is two \`node_ids\` and two \`source_ids\`, \`one\` is \`min_aggregation\`"
	echo "alone. \`floor\` is \`solarnetwork_floor_token\`: the same schema and as much state, with no plan logic and no"
	echo "requests (built in with the \`benchfloor\` tag). \`terraform_data\` holds the same values in its \`input\`."
	echo "\`new-enc-ids\` is \`new-token-ids\` with \`secret_recipients\` set: each secret is encrypted once, at create."
	echo
	echo "### Plan of $N resources, refresh included"
	echo
	echo "\`plan -detailed-exitcode\` after the configuration was applied. CPU is the CLI's and its providers';"
	echo "provider CPU and peak RSS are the provider processes' alone (the largest of those the command started)."
	echo
	echo "| configuration | wall s | CPU s | provider CPU s | provider peak RSS MiB | ÷ floor (wall / CPU) | ÷ terraform_data (wall / CPU) |"
	echo "|---|---|---|---|---|---|---|"
	for v in "${variants[@]}"; do
		IFS=: read -r dir _ _ <<<"$v"
		s=${dir##*-}
		w=$(med "plan:$dir" 2) c=$(med "plan:$dir" 3)
		vf="$(ratio "$w" "$(med plan:floor-ids 2)") / $(ratio "$c" "$(med plan:floor-ids 3)")"
		[ "$s" = ids ] || vf=
		case $dir in floor-* | data-*) vf= ;; esac
		vd="$(ratio "$w" "$(med "plan:data-$s" 2)") / $(ratio "$c" "$(med "plan:data-$s" 3)")"
		case $dir in data-*) vd= ;; esac
		echo "| $dir | $w | $c | $(med "plan:$dir" 4) | $(mib "$(med "plan:$dir" 5)") | $vf | $vd |"
	done
	echo
	echo "Runs, wall s: $(for v in "${variants[@]}"; do IFS=: read -r dir _ _ <<<"$v"; printf '%s %s; ' "$dir" "$(runs_of "plan:$dir" 2)"; done)"
	echo
	echo "Runs, CPU s: $(for v in "${variants[@]}"; do IFS=: read -r dir _ _ <<<"$v"; printf '%s %s; ' "$dir" "$(runs_of "plan:$dir" 3)"; done)"
	echo
	echo "Provider log output with TF_LOG unset, one more plan each:"
	echo
	echo "| configuration | log bytes | per resource | requests |"
	echo "|---|---|---|---|"
	for v in "${variants[@]}"; do
		IFS=: read -r dir _ _ <<<"$v"
		[ -d "$M/planlog:$dir" ] || continue
		lb=$(cat "$M/planlog:$dir/log-bytes")
		echo "| $dir | $lb | $(per "$lb" "$N") | $(count "$M/planlog:$dir/counts" "" "" requests) |"
	done
	echo
	echo "### Apply of $N new resources"
	echo
	echo "One run each. Lists: one per provider process that configures (the plan and the apply inside \`apply\` each start one)."
	echo
	echo "| configuration | wall s | CPU s | provider peak RSS MiB | generate / token | PUT policy / token | /info / token | lists | bytes listed | all requests | log bytes |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|"
	for l in $(awk '$1 ~ /^apply:/ { print $1 }' "$results"); do
		d=$M/$l
		if [ -f "$d/counts" ]; then
			c=$d/counts
			echo "| ${l#apply:} | $(med "$l" 2) | $(med "$l" 3) | $(mib "$(med "$l" 5)") | $(per "$(count "$c" POST /generate/ReadNodeData requests)" "$N") | $(per "$(count "$c" PUT /policy requests)" "$N") | $(per "$(count "$c" POST /info requests)" "$N") | $(count "$c" GET "$list" requests) | $(count "$c" GET "$list" bytes) | $(count "$c" "" "" requests) | $(cat "$d/log-bytes") |"
		else
			echo "| ${l#apply:} | $(med "$l" 2) | $(med "$l" 3) | | | | | | | | |"
		fi
	done
	echo
	echo "### $LATENCY_N creates at $LATENCY a request, \`apply -parallelism=$PARALLELISM\`"
	echo
	echo "\`make bench-e2e LATENCY=$LATENCY LATENCY_N=$LATENCY_N PARALLELISM=$PARALLELISM\` (a \`destroy\` between runs)."
	echo
	echo "| build | apply wall s | floor resource apply s | request floor s | apply ÷ request floor | apply ÷ (floor apply + request floor) |"
	echo "|---|---|---|---|---|---|"
	fl=$(med lat:floor 2)
	for b in "${builds[@]}"; do
		a=$(med "lat:$b" 2)
		echo "| $b | $a | $fl | $lat_floor | $(ratio "$a" "$lat_floor") | $(ratio "$a" "$(awk -v x="$fl" -v y="$lat_floor" 'BEGIN { print x + y }')") |"
	done
	echo
	echo "The request floor is $creates_per rounds of $PARALLELISM parallel creates at $per_create requests each (generate, PUT"
	echo "policy, /info), plus $lat_lists list(s), at $lat_ms ms a request: the creates with no other cost at all. The floor"
	echo "resource's apply is the CLI's and the framework's own cost for $LATENCY_N resources. Runs, wall s:"
	echo "$(for b in "${builds[@]}" floor; do printf '%s %s; ' "$b" "$(runs_of "lat:$b" 2)"; done)"
} >"$OUT"
log "Wrote $OUT"
