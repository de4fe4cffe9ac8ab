#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# tests/zabbix.sh: contrib/zabbix/template_numatopd_snmp.yaml on a real Zabbix 6.0 server: a
# private PostgreSQL cluster, zabbix_server and the frontend's JSON-RPC API (php -S), the template
# imported through the API, a host on the private snmpd (numatopd, fixture host), discovery run,
# and item values, trigger states and a trap item checked against the fixture's numbers; then
# runtime truth (fixtures/runtime, a private proc root): a VM's QEMU process gone, two VMs
# drifting, their polled items and triggers, and the numaVmGone and drift traps.
#
# As root (it installs Debian's postgresql, zabbix-server-pgsql, zabbix-frontend-php, php-cli and
# php-pgsql with apt-get when missing, and runs PostgreSQL as the postgres user). Everything runs
# in $NT_DIR: PostgreSQL listens on a unix socket there only, zabbix_server and php on 127.0.0.1.
# Not part of make check: make check-zabbix runs it (.ci/run once).
#
# Environment: as for every test of tests/lib.sh, and
#   ZABBIX_TEMPLATE  the template to test (default: contrib/zabbix/template_numatopd_snmp.yaml)
#   ZABBIX_NO_APT=1  do not apt-get install; skip when something is missing
# Exit: 0 all passed, 1 a check failed, 77 skipped (not root or packages missing, unless
# NUMATOPD_REQUIRE_ALL=1).

. "${TESTS_DIR:-$(dirname "$0")}/lib.sh"
nt_init zabbix

here=$(cd "$(dirname "$0")" && pwd)
: "${FIXTURES:=$here/../fixtures}"
: "${ZABBIX_TEMPLATE:=$here/../contrib/zabbix/template_numatopd_snmp.yaml}"
PGBIN=/usr/lib/postgresql/15/bin
ZBX_SQL=/usr/share/zabbix-server-pgsql
ZBX_WEB=/usr/share/zabbix
T0=$(date +%s)

[ "$(id -u)" = 0 ] || nt__skip_or_fail "not root: the test installs packages and runs PostgreSQL as postgres"

have_all() {
	[ -x "$PGBIN/initdb" ] && [ -x /usr/sbin/zabbix_server ] && [ -r "$ZBX_SQL/schema.sql.gz" ] &&
		[ -r "$ZBX_WEB/api_jsonrpc.php" ] && command -v php >/dev/null 2>&1 &&
		php -m 2>/dev/null | grep -qx pgsql && command -v setpriv >/dev/null 2>&1
}
if ! have_all; then
	[ "${ZABBIX_NO_APT:-0}" = 1 ] && nt__skip_or_fail "Zabbix 6.0, PostgreSQL 15 or php missing (ZABBIX_NO_APT=1)"
	command -v apt-get >/dev/null 2>&1 || nt__skip_or_fail "Zabbix or PostgreSQL missing and no apt-get"
	echo "installing postgresql zabbix-server-pgsql zabbix-frontend-php php-cli php-pgsql"
	# (php8.2 pulls in libapache2-mod-php8.2 and apache2-bin, its first SAPI choice; no
	# service is started: the test serves the API with php -S)
	if ! { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq &&
		DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
			--no-install-recommends \
			postgresql zabbix-server-pgsql zabbix-frontend-php php-cli php-pgsql; } \
		>"$NT_DIR/apt.out" 2>&1; then
		tail -n 20 "$NT_DIR/apt.out" >&2
		nt__skip_or_fail "apt-get install of Zabbix 6.0 and PostgreSQL failed"
	fi
	have_all || nt__skip_or_fail "Zabbix 6.0, PostgreSQL 15 or php-pgsql still missing after apt-get"
fi
nt_need snmpd
echo "packages ready after $(($(date +%s) - T0)) s: $(zabbix_server -V | head -n 1)"

# ------------------------------------------------------------------ teardown (by pid)

PG_PID='' ZBX_PID='' PHP_PID=''
# zabbix_server and php first (they hold database sessions), then PostgreSQL with SIGINT (fast
# shutdown; SIGTERM would wait for sessions, SIGKILL would orphan its children)
zbx_cleanup() {
	nt__terminate "$PHP_PID"
	nt__terminate "$ZBX_PID"
	if nt_alive "$PG_PID"; then
		kill -INT "$PG_PID" 2>/dev/null || :
		nt__poll 100 nt__gone "$PG_PID" || echo "warning: postgres $PG_PID still runs after 10 s" >&2
		wait "$PG_PID" 2>/dev/null || :
	fi
	PHP_PID='' ZBX_PID='' PG_PID=''
}
# shellcheck disable=SC2154 # nt__rc is assigned in the trap itself
trap 'nt__rc=$?; zbx_cleanup; nt__cleanup; exit $nt__rc' EXIT

# ------------------------------------------------------------------ numatopd on the fixture host

# numatopd's notifications go snmpd -> snmptrapd -> contrib/zabbix/zabbix_traphandle.sh ->
# SNMPTrapperFile -> the template's trap items
ZDIR=$NT_DIR/zbx
mkdir "$ZDIR" || exit 99
: >"$ZDIR/snmptraps.log"
nt_start_trapd "traphandle default /bin/sh $here/../contrib/zabbix/zabbix_traphandle.sh $ZDIR/snmptraps.log" ||
	exit 1
nt_start_snmpd "trap2sink 127.0.0.1:$NT_TRAP_PORT public" || exit 1
# a copy of the libvirt directory: the test gives a VM a new domain id (a restart) later
cp -R "$FIXTURES/host/libvirt" "$NT_DIR/libvirt" || exit 99
# Runtime truth (README, "Runtime truth"): a private proc root in which the QEMU process of
# every status file is alive (its stat only, started long before the file was written: running,
# its vCPU threads unknown, no memory measured, so every configured number stays), and the
# fixture's cgroup v2 tree for the runtime VMs added at the end
PROC=$NT_DIR/proc CGROUP=$NT_DIR/cgroup RT=$FIXTURES/runtime
mkdir "$PROC" && cp "$RT/proc-v2/stat" "$PROC/stat" && cp -R "$RT/cgroup-v2" "$CGROUP" || exit 99
for f in "$NT_DIR"/libvirt/*.xml; do
	pid=$(sed -n "s/^<domstatus [^>]*pid='\([0-9]*\)'.*/\1/p" "$f")
	[ -n "$pid" ] || continue
	mkdir "$PROC/$pid" && sed "s/^7100 (/$pid (/" "$RT/proc-v2/7100/stat" >"$PROC/$pid/stat" || exit 99
done
printf 'runtimeInterval 1\n' >"$ZDIR/numatopd.conf"
# shellcheck disable=SC2034 # read by nt_start_numatopd (tests/lib.sh)
NT_RUNTIME_ARG="--proc-root $PROC --cgroup-root $CGROUP"
start_numatopd() {
	nt_start_numatopd -c "$ZDIR/numatopd.conf" --sysfs-root "$FIXTURES/host/sys" \
		--libvirt-xml-dir "$NT_DIR/libvirt" || exit 1
	nt_wait_numatopd_registered || exit 1
}
start_numatopd

# ------------------------------------------------------------------ PostgreSQL

# postgres must reach its directory through $NT_DIR (0700, root's)
chmod 711 "$NT_DIR"
PGDIR=$NT_DIR/pg
mkdir "$PGDIR" && chown postgres: "$PGDIR" && chmod 700 "$PGDIR" || exit 99
as_postgres() {
	setpriv --reuid=postgres --regid=postgres --init-groups --reset-env "$@"
}
t=$(date +%s)
if ! as_postgres "$PGBIN/initdb" -D "$PGDIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
	>"$NT_DIR/initdb.out" 2>&1; then
	nt_fail "initdb failed"; tail -n 20 "$NT_DIR/initdb.out" >&2; nt_done
fi
# no TCP at all: the socket in $PGDIR is the only way in. setpriv execs postgres, so $! is
# the postmaster itself (a shell function here would put a subshell between).
setpriv --reuid=postgres --regid=postgres --init-groups --reset-env "$PGBIN/postgres" -D "$PGDIR/data" -c listen_addresses= -c unix_socket_directories="$PGDIR" \
	-c fsync=off -c synchronous_commit=off -c full_page_writes=off \
	</dev/null >"$NT_DIR/postgres.log" 2>&1 &
PG_PID=$!
pg_ready() {
	nt_alive "$PG_PID" || return 0
	"$PGBIN/pg_isready" -q -h "$PGDIR" -U postgres
}
nt__poll 300 pg_ready || :
if ! nt_alive "$PG_PID" || ! "$PGBIN/pg_isready" -q -h "$PGDIR" -U postgres; then
	nt_fail "PostgreSQL did not start"; nt_done
fi
psql_q() {
	as_postgres "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PGDIR" -U postgres "$@"
}
if ! { psql_q -d postgres -c 'CREATE DATABASE zabbix' &&
	zcat "$ZBX_SQL/schema.sql.gz" "$ZBX_SQL/images.sql.gz" "$ZBX_SQL/data.sql.gz" |
	psql_q -d zabbix; } >"$NT_DIR/schema.out" 2>&1; then
	nt_fail "importing Zabbix's schema failed"; tail -n 20 "$NT_DIR/schema.out" >&2; nt_done
fi
nt_pass "PostgreSQL up with Zabbix's schema in $(($(date +%s) - t)) s"

# ------------------------------------------------------------------ zabbix_server

# a free TCP port in 20000-32767 (zabbix_server's ListenPort stops at 32767)
free_tcp_port() {
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		p=$(($(od -An -N2 -tu2 /dev/urandom) % 12768 + 20000))
		nt_port_busy tcp "$p" || { echo "$p"; return 0; }
	done
	return 1
}

ZBX_PORT=$(free_tcp_port) || exit 99
# Few processes: one poller does the SNMP work, the trapper reads SNMPTrapperFile. The
# configuration cache is reloaded every second, so a new host and discovered items are polled
# within seconds rather than the default minute.
cat >"$ZDIR/zabbix_server.conf" <<EOF
ListenIP=127.0.0.1
ListenPort=$ZBX_PORT
PidFile=$ZDIR/zabbix_server.pid
LogFile=$ZDIR/zabbix_server.log
LogFileSize=0
DebugLevel=3
SocketDir=$ZDIR
DBHost=$PGDIR
DBName=zabbix
DBUser=postgres
AllowRoot=1
CacheUpdateFrequency=1
StartPollers=2
StartPollersUnreachable=1
StartTrappers=1
StartPingers=0
StartDiscoverers=0
StartHTTPPollers=0
StartTimers=1
StartEscalators=1
StartAlerters=1
StartPreprocessors=2
StartLLDProcessors=1
StartHistoryPollers=1
StartReportWriters=0
StartSNMPTrapper=1
SNMPTrapperFile=$ZDIR/snmptraps.log
HousekeepingFrequency=0
Timeout=5
EOF
/usr/sbin/zabbix_server -f -c "$ZDIR/zabbix_server.conf" </dev/null >"$ZDIR/server.out" 2>&1 &
ZBX_PID=$!
zbx_ready() {
	nt_alive "$ZBX_PID" || return 0
	grep -q 'server #0 started \[main process\]' "$ZDIR/zabbix_server.log" 2>/dev/null
}
nt__poll 300 zbx_ready || :
if nt_alive "$ZBX_PID" && zbx_ready; then
	nt_pass "zabbix_server 6.0 runs (pid $ZBX_PID, 127.0.0.1:$ZBX_PORT)"
else
	nt_fail "zabbix_server did not start"
	tail -n 30 "$ZDIR/zabbix_server.log" "$ZDIR/server.out" >&2
	nt_done
fi

# ------------------------------------------------------------------ the frontend's API

# A copy of the frontend: its configuration path is a constant (/etc/zabbix/zabbix.conf.php in
# Debian's build), made private here.
WEB=$ZDIR/web
cp -a "$ZBX_WEB" "$WEB" || exit 99
sed -i "s|const CONFIG_FILE_PATH = .*|const CONFIG_FILE_PATH = '$WEB/conf/zabbix.conf.php';|" \
	"$WEB/include/classes/core/CConfigFile.php"
cat >"$WEB/conf/zabbix.conf.php" <<EOF
<?php
\$DB['TYPE'] = 'POSTGRESQL';
\$DB['SERVER'] = '$PGDIR';
\$DB['PORT'] = '0';
\$DB['DATABASE'] = 'zabbix';
\$DB['USER'] = 'postgres';
\$DB['PASSWORD'] = '';
\$DB['SCHEMA'] = '';
\$DB['ENCRYPTION'] = false;
\$DB['KEY_FILE'] = '';
\$DB['CERT_FILE'] = '';
\$DB['CA_FILE'] = '';
\$DB['VERIFY_HOST'] = false;
\$DB['CIPHER_LIST'] = '';
\$DB['VAULT_URL'] = '';
\$DB['VAULT_DB_PATH'] = '';
\$DB['VAULT_TOKEN'] = '';
\$DB['DOUBLE_IEEE754'] = true;
\$ZBX_SERVER = '127.0.0.1';
\$ZBX_SERVER_PORT = '$ZBX_PORT';
\$ZBX_SERVER_NAME = 'numatopd-test';
\$IMAGE_FORMAT_DEFAULT = IMAGE_FORMAT_PNG;
EOF

WEB_PORT=$(free_tcp_port) || exit 99
php -S "127.0.0.1:$WEB_PORT" -t "$WEB" </dev/null >"$ZDIR/php.log" 2>&1 &
PHP_PID=$!
API=http://127.0.0.1:$WEB_PORT/api_jsonrpc.php

# The JSON-RPC client, in PHP (no curl or jq needed). zapi METHOD PARAMS-JSON [FORMAT]: prints
# the result as JSON, or with FORMAT "rows:f1,f2" one tab-separated line per result row (nested
# fields as a.b); an API error prints it and returns 1. The session token is in $ZDIR/auth.
cat >"$ZDIR/zapi.php" <<'EOF'
<?php
[$self, $url, $authfile, $method, $params] = array_slice($argv, 0, 5);
$format = $argv[5] ?? '';
$auth = ($method === 'user.login' || $method === 'apiinfo.version' || !is_file($authfile))
	? null : trim(file_get_contents($authfile));
$req = ['jsonrpc' => '2.0', 'method' => $method, 'params' => json_decode($params, true), 'id' => 1];
if ($req['params'] === null && $params !== 'null') { fwrite(STDERR, "bad params JSON: $params\n"); exit(2); }
if ($auth !== null) $req['auth'] = $auth;
$ctx = stream_context_create(['http' => ['method' => 'POST', 'timeout' => 60, 'ignore_errors' => true,
	'header' => "Content-Type: application/json-rpc\r\n", 'content' => json_encode($req)]]);
$body = @file_get_contents($url, false, $ctx);
if ($body === false) { fwrite(STDERR, "$method: no answer from $url\n"); exit(1); }
$res = json_decode($body, true);
if (!is_array($res) || isset($res['error']) || !array_key_exists('result', $res)) {
	fwrite(STDERR, "$method: " . (isset($res['error']) ? json_encode($res['error']) : substr($body, 0, 500)) . "\n");
	exit(1);
}
$r = $res['result'];
if ($method === 'user.login') file_put_contents($authfile, $r);
if (strncmp($format, 'rows:', 5) === 0) {
	foreach ($r as $row) {
		$cols = [];
		foreach (explode(',', substr($format, 5)) as $f) {
			$v = $row;
			foreach (explode('.', $f) as $p) $v = is_array($v) && array_key_exists($p, $v) ? $v[$p] : '';
			$cols[] = is_array($v) ? json_encode($v) : str_replace(["\t", "\n"], ' ', (string)$v);
		}
		echo implode("\t", $cols), "\n";
	}
} else {
	echo json_encode($r), "\n";
}
EOF
zapi() {
	php "$ZDIR/zapi.php" "$API" "$ZDIR/auth" "$@"
}
api_ready() {
	nt_alive "$PHP_PID" || return 0
	zapi apiinfo.version '[]' >"$ZDIR/version.out" 2>/dev/null
}
nt__poll 100 api_ready || :
if nt_alive "$PHP_PID" && api_ready; then
	nt_pass "frontend API $(cat "$ZDIR/version.out") on 127.0.0.1:$WEB_PORT"
else
	nt_fail "the frontend API does not answer"; tail -n 20 "$ZDIR/php.log" >&2; nt_done
fi
if zapi user.login '{"username": "Admin", "password": "zabbix"}' >/dev/null; then
	nt_pass "user.login as Admin"
else
	nt_fail "user.login as Admin failed"; nt_done
fi

# ------------------------------------------------------------------ import, host, discovery

# the YAML as a JSON string, by PHP
# shellcheck disable=SC2016 # PHP code, not shell
src=$(php -r 'echo json_encode(file_get_contents($argv[1]));' "$ZABBIX_TEMPLATE")
rules='{"groups": {"createMissing": true}, "templates": {"createMissing": true, "updateExisting": true},
	"items": {"createMissing": true, "updateExisting": true},
	"discoveryRules": {"createMissing": true, "updateExisting": true},
	"triggers": {"createMissing": true, "updateExisting": true},
	"valueMaps": {"createMissing": true, "updateExisting": true}}'
printf '{"format": "yaml", "rules": %s, "source": %s}\n' "$rules" "$src" >"$ZDIR/import.json"
if zapi configuration.import "$(cat "$ZDIR/import.json")" >"$ZDIR/import.out" 2>&1 &&
	grep -qx true "$ZDIR/import.out"; then
	nt_pass "configuration.import of $(basename "$ZABBIX_TEMPLATE")"
else
	nt_fail "configuration.import: $(cat "$ZDIR/import.out")"; nt_done
fi
tid=$(zapi template.get '{"output": ["templateid"], "filter": {"host": "NUMA topology by SNMP"}}' \
	rows:templateid)
counts=$(zapi template.get "{\"output\": [\"templateid\"], \"templateids\": \"$tid\",
	\"selectItems\": \"count\", \"selectDiscoveries\": \"count\", \"selectTriggers\": \"count\",
	\"selectMacros\": \"count\"}" rows:items,discoveries,triggers,macros)
nt_pass "template $tid: items, discovery rules, triggers, macros: $counts"

zapi hostgroup.create '{"name": "numatopd test"}' >/dev/null || exit 1
gid=$(zapi hostgroup.get '{"output": ["groupid"], "filter": {"name": "numatopd test"}}' rows:groupid)
# Short intervals through the template's macros; the community through the usual
# {$SNMP_COMMUNITY} (Zabbix's global default is public too)
hostparams=$(cat <<EOF
{"host": "numatopd-fixture", "groups": [{"groupid": "$gid"}], "templates": [{"templateid": "$tid"}],
 "interfaces": [{"type": 2, "main": 1, "useip": 1, "ip": "127.0.0.1", "dns": "", "port": "$NT_PORT",
   "details": {"version": 2, "bulk": 1, "community": "{\$SNMP_COMMUNITY}"}}],
 "macros": [{"macro": "{\$SNMP_COMMUNITY}", "value": "public"},
   {"macro": "{\$NUMA.LLD.INTERVAL}", "value": "5s"},
   {"macro": "{\$NUMA.POLL.INTERVAL}", "value": "5s"}]}
EOF
)
if zapi host.create "$hostparams" >"$ZDIR/host.out" 2>&1; then
	# shellcheck disable=SC2016 # PHP code, not shell
	hid=$(php -r '$r = json_decode(file_get_contents($argv[1]), true); echo $r["hostids"][0];' "$ZDIR/host.out")
	nt_pass "host.create numatopd-fixture (hostid $hid, SNMPv2 127.0.0.1:$NT_PORT)"
else
	nt_fail "host.create: $(cat "$ZDIR/host.out")"; nt_done
fi
# the vCPU rule is disabled in the template (thousands of items on a big host): on here
vid=$(zapi discoveryrule.get "{\"output\": [\"itemid\"], \"hostids\": \"$hid\",
	\"filter\": {\"key_\": \"numa.vm.vcpu.discovery\"}}" rows:itemid)
if [ -n "$vid" ] && zapi discoveryrule.update "{\"itemid\": \"$vid\", \"status\": 0}" >/dev/null; then
	nt_pass "the template's vCPU discovery (disabled by default) enabled on the host"
else
	nt_fail "cannot enable numa.vm.vcpu.discovery on the host (itemid '$vid')"
fi

# item.get of the host's items into $ZDIR/items: key, lastvalue, lastclock, state, error
get_items() {
	zapi item.get "{\"output\": [\"key_\", \"lastvalue\", \"lastclock\", \"state\", \"error\"],
		\"hostids\": \"$hid\", \"sortfield\": \"key_\"}" rows:key_,lastvalue,lastclock,state,error \
		>"$ZDIR/items.new" 2>>"$ZDIR/zapi.err" && mv "$ZDIR/items.new" "$ZDIR/items"
}
# rows discovered per rule and how many items have a value
discovered() {
	get_items || return 1
	awk -F '\t' -v want="$1" '
		$1 ~ /^numa\.node\.cpu\.capacity\[/ && $3 > 0 { n++ }
		$1 ~ /^numa\.vm\.vcpus\[/ && $3 > 0 { v++ }
		$1 ~ /^numa\.vm\.node\.memory\[/ && $3 > 0 { a++ }
		$1 ~ /^numa\.hugepages\.total\[/ && $3 > 0 { h++ }
		$1 ~ /^numa\.vm\.vcpu\.affinity\.verdict\[/ && $3 > 0 { c++ }
		END { exit !(n + 0 >= 4 && v + 0 >= want && a + 0 >= 1 && h + 0 >= 1 && c + 0 >= 1) }' "$ZDIR/items"
}
t=$(date +%s)
if nt__poll 1200 discovered 14; then
	nt_pass "discovery and first values in $(($(date +%s) - t)) s"
else
	nt_fail "no discovered items with values after 120 s; items:"
	cat "$ZDIR/items" >&2
	zapi discoveryrule.get "{\"output\": [\"key_\", \"state\", \"error\"], \"hostids\": \"$hid\"}" \
		rows:key_,state,error >&2
	nt_done
fi
# every item polled at least once, and the rest of the round (assignments are 17 rows)
all_polled() {
	get_items || return 1
	awk -F '\t' '$1 !~ /^snmptrap/ && $3 == 0 && $4 == 0 { bad++ } END { exit bad + 0 }' "$ZDIR/items"
}
nt__poll 300 all_polled || :
sleep 1
get_items
# discovered items per table: rows x prototypes (4 nodes x 17, the numastat counters of the 3
# nodes that have them x 6, 14 VMs x 12, 17 placements x 4, 39 vCPUs x 2, 8 hugepage pools x 4)
per_table=$(awk -F '\t' '
	$1 ~ /^numa\.node\.numastat\./ { c++; next }
	$1 ~ /^numa\.node\.[a-z.]*\[/ { n++ }
	$1 ~ /^numa\.vm\.node\./ { a++; next }
	$1 ~ /^numa\.vm\.vcpu\./ { p++; next }
	$1 ~ /^numa\.vm\.[a-z.]*\[/ { v++ }
	$1 ~ /^numa\.hugepages\./ { h++ }
	END { printf "nodes %d, numastat %d, VMs %d, placements %d, vCPUs %d, hugepages %d\n", n, c, v, a, p, h }' \
	"$ZDIR/items")
want_table="nodes 68, numastat 18, VMs 168, placements 68, vCPUs 78, hugepages 32"
if [ "$per_table" = "$want_table" ]; then
	nt_pass "discovered items: $per_table ($(wc -l <"$ZDIR/items") on the host)"
else
	nt_fail "discovered items: $per_table; want $want_table"
fi

# ------------------------------------------------------------------ values

# value KEY EXPECTED: the item's lastvalue as the API returns it
value() {
	got=$(awk -F '\t' -v k="$1" '$1 == k { print $2; f = 1 } END { exit !f }' "$ZDIR/items") || {
		nt_fail "no item $1"; return; }
	if [ "$got" = "$2" ]; then
		nt_pass "$1 = $got"
	else
		nt_fail "$1 = '$got', want '$2' ($(awk -F '\t' -v k="$1" '$1 == k { print "state " $4 ": " $5 }' "$ZDIR/items"))"
	fi
}
# wait_value KEY EXPECTED: value, once the item has it (or after 60 s)
has_value() {
	get_items && awk -F '\t' -v k="$1" -v w="$2" '$1 == k && $2 == w { f = 1 } END { exit !f }' "$ZDIR/items"
}
wait_value() {
	nt__poll 600 has_value "$1" "$2" || :
	value "$1" "$2"
}
ROOT=.1.3.6.1.4.1.8072.9999.9999.6862
# snmpvm UUID COLUMN: numaVmEntry.COLUMN of the VM with that UUID, as snmpget prints the value
# alone (enums as numbers, no units), at the numaVmIndex a walk of numaVmUuid finds now
snmpvm() {
	ix=$(nt_snmp snmpwalk -On -Oq -- "$ROOT.1.3.1.3" 2>/dev/null |
		awk -v u="$1" 'index($0, u) { n = split($1, a, "."); print a[n]; exit }')
	[ -n "$ix" ] || { echo "no numaVmUuid $1"; return; }
	nt_snmp snmpget -Oqv -Oe -OU -- "$ROOT.1.3.1.$2.$ix" 2>&1
}
snmpvm_is() {
	got=$(snmpvm "$1" "$2")
	[ "$got" = "$3" ]
}
# agree KEY UUID COLUMN EXPECTED: snmpget of the VM's column and the item both say EXPECTED (a
# change is awaited: 10 s for numatopd, 60 s for Zabbix)
agree() {
	if nt__poll 100 snmpvm_is "$2" "$3" "$4"; then
		nt_pass "snmpget numaVmEntry.$3 of VM $2: $got"
	else
		nt_fail "snmpget numaVmEntry.$3 of VM $2: '$got', want '$4'"
	fi
	wait_value "$1" "$4"
}
# count PREFIX N: the host has N items whose key starts with PREFIX
count() {
	n=$(awk -F '\t' -v p="$1" 'index($1, p) == 1 { n++ } END { print n + 0 }' "$ZDIR/items")
	if [ "$n" = "$2" ]; then nt_pass "$2 items $1...]"; else nt_fail "$n items $1...], want $2"; fi
}

WEB_VM=c5ad3b2e-8610-422e-8963-09a9fae4bcf2
DB_VM=f60f6be1-3b76-41c2-9703-714948bcac8d
BATCH=e905d164-c0d4-4a08-8974-5c4494fdd3ac
# scalars
value numa.nodes 4
value numa.vms 14
value numa.invalid.files 2
value numa.source.status 2
# nodes (the README's table): counts, CounterBasedGauge64 bytes exactly, Integer32 headroom
value 'numa.node.vcpus.bound[4]' 15
value 'numa.node.cpu.capacity[4]' 8
value 'numa.node.cpu.headroom[4]' -7
value 'numa.node.mem.headroom[4]' -2147483648
value 'numa.node.cpu.pused[4]' 188
value 'numa.node.cpu.oversubscribed[4]' 1
value 'numa.node.cpu.oversubscribed[0]' 2
value 'numa.node.mem.oversubscribed[4]' 1
value 'numa.node.hugepages.oversubscribed[1]' 1
value 'numa.node.mem.used[1]' 15032909824
value 'numa.node.mem.used[0]' 10201071616
value 'numa.node.mem.spanning[0]' 537395200
value 'numa.node.mem.capacity[6]' 8589934592
value 'numa.node.cpulist[0]' '0-3,12-15'
count 'numa.node.cpu.capacity[' 4
# numastat counters as rates: the fixture's do not move
value 'numa.node.numastat.miss[1]' 0
# VMs, keyed on the UUID
value "numa.vm.memory[$WEB_VM]" 4294967296
value "numa.vm.vcpus[$DB_VM]" 4
value "numa.vm.placement[$BATCH]" 3
value "numa.vm.state[$BATCH]" 8
value "numa.vm.memmode[$BATCH]" 3
value "numa.vm.nodes[$DB_VM]" 0-1
value "numa.vm.devices.remote[$WEB_VM]" 0
value 'numa.node.devices[0]' 0
count 'numa.vm.vcpus[' 14
# runtime truth (numaVmRuntimeState): web-local's QEMU is alive, batch-span has no process; no
# memory cgroup, so nothing resident measured
agree "numa.vm.runtime.state[$WEB_VM]" "$WEB_VM" 23 1
agree "numa.vm.runtime.state[$BATCH]" "$BATCH" 23 4
value "numa.vm.mem.resident[$WEB_VM]" 0
value "numa.vm.mem.stray[$WEB_VM]" 0
count 'numa.vm.mem.stray[' 14
# vCPUs (the rule enabled above), VM UUID x vCPU: the fixture's vCPU threads are not in the
# proc root, so not measured
value "numa.vm.vcpu.affinity.verdict[$DB_VM,3]" 4
value "numa.vm.vcpu.affinity.actual[$DB_VM,3]" ''
count 'numa.vm.vcpu.affinity.verdict[' 39
# assignments: VM UUID x node
value "numa.vm.node.memory[$DB_VM,1]" 2684354560
value "numa.vm.node.memory[$BATCH,0]" 537395200
value "numa.vm.node.vcpus.spanning[$BATCH,1]" 2
count 'numa.vm.node.memory[' 17
# hugepages: node x size (KiB)
value 'numa.hugepages.demand[1,1048576]' 5
value 'numa.hugepages.total[0,2048]' 1024
value 'numa.hugepages.oversubscribed[1,1048576]' 1
value 'numa.hugepages.oversubscribed[0,2048]' 2
unsupported=$(awk -F '\t' '$4 == 1 { print $1 ": " $5 }' "$ZDIR/items")
if [ -z "$unsupported" ]; then
	nt_pass "no item is unsupported"
else
	nt_fail "unsupported items:"; echo "$unsupported" >&2
fi

# ------------------------------------------------------------------ triggers

# Node 4 CPU and memory, node 1's 1 GiB hugepages, the degraded source, and the two VMs with a
# remote vCPU (misaligned, hotplug-live: numatopd --dump's REMOTE column) are problems; nothing
# else of the fixture is.
problems() {
	zapi trigger.get "{\"output\": [\"description\"], \"hostids\": \"$hid\", \"filter\": {\"value\": 1},
		\"expandDescription\": true, \"sortfield\": \"description\"}" rows:description \
		>"$ZDIR/problems.new" 2>>"$ZDIR/zapi.err" && mv "$ZDIR/problems.new" "$ZDIR/problems"
}
want_problems=$(printf '%s\n' 'Node 1: 1048576 KiB hugepages oversubscribed' \
	'Node 4: CPU oversubscribed' 'Node 4: memory oversubscribed' \
	'VM hotplug-live: vCPUs on a remote NUMA node' 'VM misaligned: vCPUs on a remote NUMA node' \
	'numatopd: NUMA source degraded')
problems_match() {
	problems && [ "$(cat "$ZDIR/problems")" = "$want_problems" ]
}
if nt__poll 300 problems_match; then
	nt_pass "triggers in problem state: $(tr '\n' ';' <"$ZDIR/problems")"
else
	nt_fail "triggers in problem state: $(tr '\n' ';' <"$ZDIR/problems"); want: $(echo "$want_problems" | tr '\n' ';')"
fi

# ------------------------------------------------------------------ a VM restarted

# web-local gets domain id 31 instead of 11 (libvirt started it again): numaVmIndex stays 11 (the
# VM index map keeps it per UUID), the same UUID-keyed items are polled at the same OIDs, and
# their history goes on.
# vmitem KEY: "itemid<TAB>snmp_oid<TAB>lastclock<TAB>lastvalue"
vmitem() {
	zapi item.get "{\"output\": [\"itemid\", \"snmp_oid\", \"lastclock\", \"lastvalue\"],
		\"hostids\": \"$hid\", \"filter\": {\"key_\": \"$1\"}}" rows:itemid,snmp_oid,lastclock,lastvalue
}
mkey="numa.vm.memory[$WEB_VM]"
akey="numa.vm.node.vcpus[$WEB_VM,0]"
before=$(vmitem "$mkey")
abefore=$(vmitem "$akey")
echo "before: $mkey: $before"
moved=$(date +%s)
sed "s/<domain type='kvm' id='11'>/<domain type='kvm' id='31'>/" "$NT_DIR/libvirt/web-local.xml" \
	>"$NT_DIR/web-local.new" && mv "$NT_DIR/web-local.new" "$NT_DIR/libvirt/web-local.xml" || exit 99
# polled again at the same index, after the change
repointed() {
	now=$(vmitem "$mkey") || return 1
	echo "$now" | awk -F '\t' -v t="$moved" '$2 ~ /\.1\.3\.1\.9\.11$/ && $3 > t { f = 1 } END { exit !f }'
}
if nt__poll 600 repointed; then
	after=$(vmitem "$mkey")
	aafter=$(vmitem "$akey")
	echo "after:  $mkey: $after"
	if [ "$(echo "$before" | cut -f1)" = "$(echo "$after" | cut -f1)" ] &&
		[ "$(echo "$after" | cut -f4)" = 4294967296 ]; then
		nt_pass "web-local restarted as domain id 31 keeps numaVmIndex 11: same item $(echo "$after" | cut -f1), OID $(echo "$after" | cut -f2), 4294967296 B"
	else
		nt_fail "web-local's memory item changed: before '$before', after '$after'"
	fi
	if [ "$(echo "$abefore" | cut -f1)" = "$(echo "$aafter" | cut -f1)" ] &&
		echo "$aafter" | cut -f2 | grep -q '\.1\.4\.1\.1\.11\.0$'; then
		nt_pass "its placement item $akey: same item, OID now $(echo "$aafter" | cut -f2)"
	else
		nt_fail "placement item of web-local: before '$abefore', after '$aafter'"
	fi
else
	nt_fail "$mkey not polled again at index 11 within 60 s: $(vmitem "$mkey")"
fi
n=$(zapi history.get "{\"itemids\": \"$(echo "$before" | cut -f1)\", \"history\": 3, \"countOutput\": true}")
if [ "${n#\"}" != "$n" ] && [ "$(echo "$n" | tr -d '"')" -ge 2 ]; then
	nt_pass "its history holds $(echo "$n" | tr -d '"') values across the restart"
else
	nt_fail "history of $mkey: '$n'"
fi

# ------------------------------------------------------------------ trap items

# numatopd sent its startup raises before the host existed in Zabbix (unmatched, dropped). A
# numatopd started again sends them again (notifyOnStartup yes, the default): node 4 CPU and
# memory, node 1's 1 GiB hugepages, and the source error. The cleared items get nothing, and so
# do numaVmRemoteDevice (no VM of the fixture host has a passthrough device), numaVmGone and
# numaVmPlacementDrift (every QEMU process is alive, no vCPU thread or memory measured).
nt_stop_numatopd
start_numatopd
trapitem() {
	printf 'snmptrap["(6862\\.0\\.%s|::%s)([^0-9A-Za-z]|$)"]' "$1" "$2"
}
traps_seen() {
	get_items && awk -F '\t' '$1 ~ /^snmptrap/ && $3 > 0 { n++ } END { exit n < 4 }' "$ZDIR/items"
}
nt__poll 300 traps_seen || :
for t in 1:numaNodeCpuOversubscription:1 2:numaNodeCpuOversubCleared:0 \
	3:numaNodeMemOversubscription:1 4:numaNodeMemOversubCleared:0 \
	5:numaHugepageOversubscription:1 6:numaHugepageOversubCleared:0 \
	7:numaSourceError:1 8:numaSourceRecovered:0 \
	9:numaVmRemoteDevice:0 10:numaVmRemoteDeviceCleared:0 \
	11:numaVmPlacementDrift:0 12:numaVmPlacementDriftCleared:0 13:numaVmGone:0; do
	n=${t%%:*} rest=${t#*:}
	name=${rest%:*} want=${rest#*:}
	key=$(trapitem "$n" "$name")
	got=$(awk -F '\t' -v k="$key" '$1 == k { print ($3 > 0) ? 1 : 0 }' "$ZDIR/items")
	if [ "$got" = "$want" ]; then
		nt_pass "trap item $name: $([ "$want" = 1 ] && echo "got the trap" || echo "nothing, as it should")"
	else
		nt_fail "trap item $name: got '$got', want $want (traps in $ZDIR/snmptraps.log)"
	fi
done
trapval=$(zapi item.get "{\"output\": [\"lastvalue\"], \"hostids\": \"$hid\",
	\"filter\": {\"key_\": \"$(trapitem 1 numaNodeCpuOversubscription | sed 's/["\\]/\\&/g')\"}}" \
	rows:lastvalue)
echo "the numaNodeCpuOversubscription trap as the item stored it: $trapval"
if echo "$trapval" | grep -q '6862\.1\.2\.1\.6\.4 15'; then
	nt_pass "its varbinds say node 4 has 15 vCPUs bound"
else
	nt_fail "numaNodeVcpusBound.4 = 15 is not in the stored trap"
fi

# ------------------------------------------------------------------ runtime truth: gone, drift

# web-local's QEMU dies behind libvirt's back (its /proc entry goes, its status file stays), and
# two VMs of fixtures/runtime start: rt-stray, 200 of its 2100 MiB resident on node 4, outside
# its strict nodes 0 and 1, and rt-escaped, whose vCPU 1, pinned to CPU 1, may run on 1,4. The
# polled items and triggers follow; numatopd sends numaVmGone and numaVmPlacementDrift.
STRAY_VM=00000000-0000-4000-8000-000000000031
ESC_VM=00000000-0000-4000-8000-000000000032
cp -R "$RT/proc-v2/7100" "$RT/proc-v2/7200" "$PROC/" || exit 99
for f in rt-stray rt-escaped; do
	cp "$RT/libvirt/$f.xml" "$NT_DIR/libvirt/$f.xml.new" &&
		mv "$NT_DIR/libvirt/$f.xml.new" "$NT_DIR/libvirt/$f.xml" || exit 99
done
rm -r "${PROC:?}/4101" || exit 99
agree "numa.vm.runtime.state[$WEB_VM]" "$WEB_VM" 23 2
agree "numa.vm.runtime.state[$STRAY_VM]" "$STRAY_VM" 23 1
agree "numa.vm.mem.resident[$STRAY_VM]" "$STRAY_VM" 24 2202009600
agree "numa.vm.mem.stray[$STRAY_VM]" "$STRAY_VM" 25 209715200
wait_value "numa.vm.vcpu.affinity.verdict[$ESC_VM,1]" 3
value "numa.vm.vcpu.affinity.actual[$ESC_VM,1]" '1,4'
value "numa.vm.vcpu.affinity.verdict[$ESC_VM,0]" 1
value "numa.vm.mem.stray[$ESC_VM]" 0
# runtime_problems: the problems of the runtime triggers (gone, stray, vCPU drift, their traps)
runtime_problems() {
	grep -E ': QEMU process gone$|: memory strays off its nodes$|: vCPU [0-9]+ affinity drifted$|^numatopd trap: numaVm(PlacementDrift|Gone)$' \
		"$ZDIR/problems"
}
want_rt=$(printf '%s\n' 'VM rt-escaped: vCPU 1 affinity drifted' 'VM rt-stray: memory strays off its nodes' \
	'VM web-local: QEMU process gone' 'numatopd trap: numaVmGone' 'numatopd trap: numaVmPlacementDrift')
rt_problems_match() {
	problems && [ "$(runtime_problems)" = "$want_rt" ]
}
if nt__poll 600 rt_problems_match; then
	nt_pass "runtime triggers in problem state: $(runtime_problems | tr '\n' ';')"
else
	nt_fail "runtime triggers in problem state: $(runtime_problems | tr '\n' ';'); want: $(echo "$want_rt" | tr '\n' ';')"
fi
echo "all problems now: $(tr '\n' ';' <"$ZDIR/problems")"

# trapid N NAME: the item id of trap item N
trapid() {
	zapi item.get "{\"output\": [\"itemid\"], \"hostids\": \"$hid\",
		\"filter\": {\"key_\": \"$(trapitem "$1" "$2" | sed 's/["\\]/\\&/g')\"}}" rows:itemid
}
# traplog N NAME: every value the trap item holds, one a line
traplog() {
	zapi history.get "{\"itemids\": \"$(trapid "$1" "$2")\", \"history\": 2, \"output\": \"extend\"}" \
		rows:value
}
# trap_has N NAME ERE: a value of trap item N matches ERE
trap_has() {
	traplog "$1" "$2" | grep -q -E -- "$3"
}
if nt__poll 600 trap_has 13 numaVmGone "$WEB_VM"; then
	nt_pass "trap item numaVmGone: web-local's, with its UUID"
else
	nt_fail "trap item numaVmGone holds no trap of web-local: $(traplog 13 numaVmGone | head -c 600)"
fi
for vm in rt-stray rt-escaped; do
	if nt__poll 300 trap_has 11 numaVmPlacementDrift "\"$vm\""; then
		nt_pass "trap item numaVmPlacementDrift: $vm's"
	else
		nt_fail "trap item numaVmPlacementDrift holds no trap of $vm: $(traplog 11 numaVmPlacementDrift | head -c 600)"
	fi
done
# rt-escaped's drift ends (its vCPU 1 may run on CPU 1 only again): numaVmPlacementDriftCleared
# for it, its verdict same(1), its trigger resolved; rt-stray's memory still strays
st=$PROC/7200/task/7202/status
sed 's/^Cpus_allowed_list:.*/Cpus_allowed_list:	1/' "$st" >"$st.new" && mv "$st.new" "$st" || exit 99
wait_value "numa.vm.vcpu.affinity.verdict[$ESC_VM,1]" 1
if nt__poll 600 trap_has 12 numaVmPlacementDriftCleared '"rt-escaped"'; then
	nt_pass "trap item numaVmPlacementDriftCleared: rt-escaped's"
else
	nt_fail "trap item numaVmPlacementDriftCleared holds no trap of rt-escaped"
fi
want_rt=$(echo "$want_rt" | grep -v '^VM rt-escaped')
if nt__poll 600 rt_problems_match; then
	nt_pass "rt-escaped's vCPU trigger resolved, the rest stays: $(runtime_problems | tr '\n' ';')"
else
	nt_fail "runtime triggers in problem state: $(runtime_problems | tr '\n' ';'); want: $(echo "$want_rt" | tr '\n' ';')"
fi

# The keys' tail ([^0-9A-Za-z]|$) keeps notification 1's item off notifications 11-13: it holds
# the numaNodeCpuOversubscription traps only, each of 11-13's items its own
t1=$(traplog 1 numaNodeCpuOversubscription)
n1=$(printf '%s\n' "$t1" | grep -c -E '6862\.0\.1([^0-9]|$)')
if [ "$n1" -ge 1 ] && ! printf '%s\n' "$t1" | grep -q -E '6862\.0\.1[0-9]'; then
	nt_pass "trap item 1 holds $n1 numaNodeCpuOversubscription and no trap of 10-13"
else
	nt_fail "trap item 1: $n1 of its own, or traps of 10-13: $(printf '%s\n' "$t1" | grep -o -E '6862\.0\.1[0-9]' | sort | uniq -c | tr '\n' ' ')"
fi
for t in 11:numaVmPlacementDrift 12:numaVmPlacementDriftCleared 13:numaVmGone; do
	n=${t%%:*} name=${t#*:}
	log=$(traplog "$n" "$name")
	all=$(printf '%s\n' "$log" | grep -c .)
	own=$(printf '%s\n' "$log" | grep -c -E "6862\\.0\\.$n([^0-9]|\$)")
	if [ "$all" -ge 1 ] && [ "$own" = "$all" ]; then
		nt_pass "trap item $n holds $all $name, nothing else"
	else
		nt_fail "trap item $n ($name): $own of $all values are its own"
	fi
done

echo "zabbix.sh: $(($(date +%s) - T0)) s in all"
nt_done
