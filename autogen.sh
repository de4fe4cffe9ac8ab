#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# autogen.sh: install what a bare Debian/Ubuntu machine lacks (as root; otherwise print the
# exact apt-get line), then autoreconf and configure. Arguments go to ./configure.
set -e
cd "$(dirname "$0")"

# libxml2-utils: xmllint, the baseline make bench compares the engine with; valgrind: make
# check-valgrind
PKGS="build-essential autoconf automake libtool pkg-config libsnmp-dev libxml2-dev \
libcmocka-dev snmpd snmp snmptrapd smitools prometheus-snmp-exporter curl \
systemd groff-base libxml2-utils valgrind"
# snmptt: tests/snmptt.sh feeds numatopd's notifications through it (contrib/snmptt)
PKGS="$PKGS snmptt"
# libmonitoring-plugin-perl, icinga2-bin: tests/check_numa.sh parses check_numa's perfdata with
# the first and validates contrib/icinga2/check_numa.conf with the second
PKGS="$PKGS libmonitoring-plugin-perl icinga2-bin"

missing=""
if command -v dpkg-query >/dev/null 2>&1; then
	for p in $PKGS; do
		st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
		case "$st" in
		*" installed") ;;
		*) missing="$missing $p" ;;
		esac
	done
fi

if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "autogen.sh: installing:$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		# snmpd/snmptrapd must not start as system services here: tests run private ones.
		if [ ! -e /usr/sbin/policy-rc.d ]; then
			printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
			chmod +x /usr/sbin/policy-rc.d
			trap 'rm -f /usr/sbin/policy-rc.d' EXIT
		fi
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $missing
	else
		echo "autogen.sh: missing packages. Install them with:" >&2
		echo "  sudo apt-get install$missing" >&2
		exit 1
	fi
fi

autoreconf -fi
./configure "$@"
