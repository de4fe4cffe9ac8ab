# SPDX-License-Identifier: BSD-3-Clause
# tests/promlib.sh: starts Debian's prometheus-snmp-exporter privately for the Prometheus tests
# and B5 of make bench; sourced after tests/lib.sh (nt_init done), POSIX sh.
#
#	px_start_exporter CONFIG...    the exporter on a free TCP port of 127.0.0.1 with these
#	                               --config.file's; sets PX_PORT, PX_PID; log $NT_DIR/exporter.log
#	px_scrape MODULE OUT [SECS]    GET /snmp?module=MODULE&target=$NT_TARGET into OUT, waiting
#	                               up to SECS (default 15); sends Prometheus' default scrape
#	                               timeout header (10 s; 0.21 ignores it, later versions use it);
#	                               sets PX_CODE (HTTP code, 000: no answer in time) and
#	                               PX_SECONDS (wall time of the GET)
#	px_start_runtime_numatopd LIBVIRT PROC CGROUP
#	                               numatopd (nt_start_numatopd) on the fixture host's sysfs with
#	                               runtime reads on, from these trees (as fixtures/runtime's
#	                               libvirt/, proc-v2/, cgroup-v2/), registered with snmpd
#
# Environment read: SNMP_EXPORTER (default: prometheus-snmp-exporter in PATH).
# shellcheck disable=SC2034 # PX_* are for the script that sources this

PX_EXPORTER=$(command -v "${SNMP_EXPORTER:-prometheus-snmp-exporter}" 2>/dev/null)

px__ready_or_dead() {
	nt_alive "$PX_PID" || return 0
	curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PX_PORT/"
}

# Another port when the bind races with someone else (10 attempts).
px_start_exporter() {
	px__args=
	for px__c in "$@"; do
		px__args="$px__args --config.file=$px__c"
	done
	px__attempt=0
	while [ $px__attempt -lt 10 ]; do
		px__attempt=$((px__attempt + 1))
		PX_PORT=$(nt_free_udp_port) || return 1
		nt_port_busy tcp "$PX_PORT" && continue
		# shellcheck disable=SC2086 # px__args: one --config.file per word
		"$PX_EXPORTER" $px__args --web.listen-address="127.0.0.1:$PX_PORT" \
			</dev/null >"$NT_DIR/exporter.log" 2>&1 &
		PX_PID=$!
		nt_track "$PX_PID"
		nt__poll 100 px__ready_or_dead || :
		nt_alive "$PX_PID" && px__ready_or_dead && return 0
		if nt_alive "$PX_PID"; then
			echo "FAIL: the exporter does not answer on 127.0.0.1:$PX_PORT after 10 s" >&2
			return 1
		fi
		grep -q 'address already in use' "$NT_DIR/exporter.log" || {
			echo "FAIL: the exporter exited during start-up:" >&2
			tail -n 20 "$NT_DIR/exporter.log" >&2
			return 1
		}
	done
	echo "FAIL: the exporter could not bind a TCP port in 10 attempts" >&2
	return 1
}

px_stop_exporter() {
	nt__terminate "${PX_PID:-}"
	PX_PID=
}

px_scrape() {
	px__t0=$(date +%s%N)
	rm -f "$2"
	PX_CODE=$(curl -s -o "$2" -w '%{http_code}' --max-time "${3:-15}" \
		-H "X-Prometheus-Scrape-Timeout-Seconds: 10" \
		"http://127.0.0.1:$PX_PORT/snmp?module=$1&target=$NT_TARGET")
	PX_SECONDS=$(awk -v a="$px__t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
}

# NT_RUNTIME_ARG (tests/lib.sh: --no-runtime for every other start) only for this start
px_start_runtime_numatopd() {
	printf 'runtimeInterval 10\n' >"$NT_DIR/runtime.conf"
	px__rt=$NT_RUNTIME_ARG
	NT_RUNTIME_ARG="--proc-root $2 --cgroup-root $3"
	px__st=0
	nt_start_numatopd -c "$NT_DIR/runtime.conf" --sysfs-root "$FIXTURES/host/sys" \
		--libvirt-xml-dir "$1" || px__st=1
	NT_RUNTIME_ARG=$px__rt
	[ $px__st = 0 ] && nt_wait_numatopd_registered
}
