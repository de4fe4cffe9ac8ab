#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# syslog.sh: numatopd in the background (no -f) without -L logs to syslog, not to the stderr
# daemon() pointed at /dev/null. A private mount namespace puts a listening socket at /dev/log
# (python3), so the host's syslog is not touched. Needs root, unshare and python3: else SKIP.
set -u
TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTS_DIR/lib.sh"
nt_init syslog
nt_need numatopd unshare python3
if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null; then
	nt__skip_or_fail "needs root and unshare -m (a private /dev/log)"
fi

HOST=${FIXTURES:-$TESTS_DIR/../fixtures}/host
D=$NT_DIR/dev
mkdir "$D" && : >"$D/null" || exit 1
cat >"$NT_DIR/listen.py" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
open(sys.argv[2] + ".ready", "w").close()
with open(sys.argv[2], "ab", buffering=0) as out:
    while True:
        out.write(s.recv(8192).rstrip(b"\0\n") + b"\n")
PY
# In the namespace: /dev is a directory holding the real /dev/null and the listener's socket.
# numatopd detaches; its pid is found by its unique command line and stopped from inside.
unshare -m sh -c '
	set -u
	mount --make-rprivate / && mount --bind /dev/null "$1/null" || exit 1
	python3 "$2/listen.py" "$1/log" "$2/syslog.txt" &
	l=$!
	i=0
	while [ ! -e "$2/syslog.txt.ready" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	mount --rbind "$1" /dev || { kill $l; exit 1; }
	MIBS= "$3" -x unix:"$2/none.sock" --sysfs-root "$4/sys" --libvirt-xml-dir "$4/libvirt" \
		--state-dir "$2" </dev/null >"$2/stderr.txt" 2>&1
	echo "parent exit $?" >>"$2/stderr.txt"
	i=0
	while ! grep -q "numatopd.*started" "$2/syslog.txt" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1; i=$((i + 1))
	done
	for p in $(ps -eo pid=,args= | awk -v d="$2/" "index(\$0, d) && \$2 != \"python3\" && \$2 != \"sh\" { print \$1 }"); do
		kill "$p" 2>/dev/null
	done
	sleep 0.3
	kill $l
' sh "$D" "$NT_DIR" "$NUMATOPD" "$HOST"
grep -q "numatopd\[[0-9]*\]: numatopd .* started" "$NT_DIR/syslog.txt" 2>/dev/null &&
	nt_pass "background mode logs to syslog: $(grep -m1 started "$NT_DIR/syslog.txt")" ||
	nt_fail "no 'started' line in syslog: $(cat "$NT_DIR/syslog.txt" "$NT_DIR/stderr.txt" 2>&1 | head -n 5)"
grep -q "AgentX master unix:$NT_DIR/none.sock: No such file or directory" "$NT_DIR/syslog.txt" &&
	nt_pass "the AgentX address and errno reach syslog" ||
	nt_fail "no AgentX line in syslog: $(cat "$NT_DIR/syslog.txt" | head -n 5)"
[ "$(cat "$NT_DIR/stderr.txt")" = "parent exit 0" ] &&
	nt_pass "nothing on the terminal after the parent exits 0" ||
	nt_fail "terminal: $(cat "$NT_DIR/stderr.txt")"
nt_done
