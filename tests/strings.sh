#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# strings.sh: text a tenant chooses reaches SNMP, --dump and the log made safe by one rule
# (str_safe, README "Hostile input"): a VM whose <name> and Nova display name hold CR, LF, TAB,
# NEL, CSI, U+202E (RLO), U+2066 (LRI) and U+2028, in a file whose name holds a newline and an
# invalid UTF-8 byte, served through a private snmpd; snmpget gets U+FFFD for each of them.
set -u
TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "$0")" && pwd)}
. "$TESTS_DIR/lib.sh"
nt_init strings
nt_need snmpd snmpget snmpgetnext numatopd od
nt_need_mibs

HOST=${FIXTURES:-$TESTS_DIR/../fixtures}/host
LV=$NT_DIR/libvirt
mkdir "$LV" || exit 99
R='EFBFBD' # U+FFFD in UTF-8, as snmpget -Ox prints it (spaces removed)

# The characters as XML character references: &#13; is the only way a CR survives XML's line-end
# normalisation, the others could as well be written raw.
cat >"$LV/hostile.xml" <<'XML'
<domain type='kvm' id='77'>
  <name>a&#13;&#10;b&#9;c&#x85;d&#x9b;e&#x202e;f&#x2066;g&#x2028;h</name>
  <uuid>7e57ab1e-0000-4000-8000-00000000f00d</uuid>
  <metadata>
    <nova:instance xmlns:nova="http://openstack.org/xmlns/libvirt/nova/1.1">
      <nova:name>evil&#x202e;txt.exe&#10;numatopd: forged</nova:name>
    </nova:instance>
  </metadata>
  <memory unit='KiB'>1048576</memory>
  <vcpu placement='static'>1</vcpu>
</domain>
XML
# a valid VM in a file whose name is not even UTF-8
odd=$(printf 'x\ny\377.xml')
sed -e 's/id=.77./id="78"/' -e 's/<name>.*<\/name>/<name>plain<\/name>/' \
	-e 's/f00d/beef/' "$LV/hostile.xml" >"$LV/$odd" || exit 99

# hex of a string: upper case, no blanks
# snmpget of one VM column, its value in hex: no MIB, so no DISPLAY-HINT overrides -Ox
VMCOL=.1.3.6.1.4.1.8072.9999.9999.6862.1.3.1
get_hex() {
	nt_snmp snmpget -m '' -On -Ovq -Ox "$VMCOL.$1" 2>&1
}
hex() {
	tr -d ' \n\r"' | tr 'a-f' 'A-F'
}

nt_start_snmpd </dev/null || exit 1
nt_start_numatopd --sysfs-root "$HOST/sys" --libvirt-xml-dir "$LV" || exit 1
nt_wait_numatopd_registered || exit 1

# numaVmName.77 and numaVmDisplayName.77, octet for octet
name_want="61${R}${R}62${R}63${R}64${R}65${R}66${R}67${R}68"
get_hex 2.77 >"$NT_DIR/name" 2>&1
echo "measured: snmpget -Ovq -Ox numaVmName.77 (.2.77): $(tr '\n' ' ' <"$NT_DIR/name")"
got=$(hex <"$NT_DIR/name")
[ "$got" = "$name_want" ] && nt_pass "numaVmName: CR LF TAB NEL CSI RLO LRI LS each U+FFFD" ||
	nt_fail "numaVmName.77 = $got, want $name_want"
disp_want=$(printf 'evil' | od -An -tx1 | hex)$R$(printf 'txt.exe' | od -An -tx1 | hex)$R
disp_want=$disp_want$(printf 'numatopd: forged' | od -An -tx1 | hex)
get_hex 4.77 >"$NT_DIR/disp" 2>&1
got=$(hex <"$NT_DIR/disp")
[ "$got" = "$disp_want" ] && nt_pass "numaVmDisplayName: RLO and LF each U+FFFD" ||
	nt_fail "numaVmDisplayName.77 = $got, want $disp_want"

# --dump: the same text in both forms, and the file name made safe as well
"$NUMATOPD" --dump=json --sysfs-root "$HOST/sys" --libvirt-xml-dir "$LV" >"$NT_DIR/dump.json" \
	2>"$NT_DIR/dump.err"
rr=$(printf '\357\277\275')
if grep -q -F "\"a$rr${rr}b${rr}c${rr}d${rr}e${rr}f${rr}g${rr}h\"" "$NT_DIR/dump.json"; then
	nt_pass "--dump=json: the name as SNMP serves it"
else
	nt_fail "--dump=json: name not as served: $(grep -o '"name":"[^"]*"' "$NT_DIR/dump.json")"
fi
if grep -q -F "\"x${rr}y${rr}.xml\"" "$NT_DIR/dump.json"; then
	nt_pass "--dump=json: a newline and a 0xFF byte of a file name are U+FFFD"
else
	nt_fail "--dump=json: file name: $(grep -o '"file":"[^"]*"' "$NT_DIR/dump.json")"
fi
"$NUMATOPD" --dump --sysfs-root "$HOST/sys" --libvirt-xml-dir "$LV" >"$NT_DIR/dump.txt" \
	2>>"$NT_DIR/dump.err"
# one VM row per VM: a forged line would start with "numatopd: forged"
if grep -q '^numatopd: forged' "$NT_DIR/dump.txt" || ! grep -q -F "evil${rr}txt.exe" "$NT_DIR/dump.txt"; then
	nt_fail "--dump text: the display name is not one safe row: $(cat "$NT_DIR/dump.txt")"
else
	nt_pass "--dump text: the display name stays in its row, U+FFFD for RLO and LF"
fi
# no line numatopd logged holds a control character (grep reads line by line: not the ends)
if LC_ALL=C grep -q '[[:cntrl:]]' "$NT_DIR/numatopd.log" "$NT_DIR/dump.err"; then
	nt_fail "numatopd.log holds a control character"
else
	nt_pass "numatopd.log holds no control character"
fi

nt_stop_numatopd
nt_done
