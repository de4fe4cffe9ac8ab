#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# tests/zabbix-mib.py: checks the Zabbix template against the MIB files it polls
# (tests/zabbix-mib.sh), so its value maps and trap items cannot drift from NUMA-TOPOLOGY-MIB.
#
#	zabbix-mib.py TEMPLATE.yaml MIBFILE...   one "ok: ..." line per check that holds, one
#	                                          "FAIL: ..." per problem; exit 0, or 1 on a problem
#
# MIBFILE: NUMA-TOPOLOGY-MIB and the modules its OIDs and enum TCs come from (NET-SNMP-MIB for
# netSnmpPlaypen, SNMPv2-TC for TruthValue). The checks:
# - every value map is named MODULE::NAME after an enum of the MIBs (an enum object, or an enum
#   TC such as TruthValue) and maps exactly that enum's numbers to its labels;
# - every item or item prototype that polls an enum object has a value map, and the map of that
#   enum (an item polling an OID no MIB object holds is a problem too);
# - the SNMP trap items are one per notification under numaNotifications, each key's regexp
#   matching its notification's trap OID (numeric and MODULE::name) and no other's.
import re
import sys

import yaml

ENTERPRISES = [1, 3, 6, 1, 4, 1]  # SNMPv2-SMI, which defines it as internet 4 1
DEFINITION = re.compile(
    r"^(\w[\w-]*)[ \t]+(OBJECT-TYPE|NOTIFICATION-TYPE|MODULE-IDENTITY|OBJECT IDENTIFIER"
    r"|OBJECT-IDENTITY|OBJECT-GROUP|NOTIFICATION-GROUP|MODULE-COMPLIANCE)\b(.*?)"
    r"::=\s*\{\s*(\w[\w-]*)\s+(\d+)\s*\}", re.S | re.M)
TC = re.compile(r"^(\w[\w-]*)\s*::=\s*TEXTUAL-CONVENTION\b.*?\bSYNTAX\s+"
                r"(INTEGER\s*\{[^}]*\}|\S+)", re.S | re.M)
SYNTAX = re.compile(r"\bSYNTAX\s+(INTEGER\s*\{[^}]*\}|\S+)")
TRAP_KEY = re.compile(r'^snmptrap\["\((\d+)\\\.0\\\.(\d+)\|::(\w+)\)\(\[\^0-9A-Za-z\]\|\$\)"\]$')


def enum(syntax):
    """{number: label} of an INTEGER { a(1), ... } syntax, None for any other syntax."""
    m = re.match(r"INTEGER\s*\{([^}]*)\}", syntax)
    if not m:
        return None
    return {int(n): label for label, n in re.findall(r"(\w[\w-]*)\s*\(\s*(-?\d+)\s*\)", m.group(1))}


class Mibs:
    """The definitions of some MIB files: OIDs, syntaxes, enums and their module names."""

    def __init__(self, paths):
        self.parent = {"enterprises": (None, None)}
        self.kind, self.syntax, self.module = {}, {}, {}
        self.tc_enum = {}
        for path in paths:
            with open(path, encoding="utf-8") as f:
                self.read(f.read())
        self.oid = {}
        for name in list(self.kind):
            if self.resolve(name) is None:
                del self.kind[name]  # under a module not given: nothing to check there

    def read(self, text):
        text = re.sub(r'"[^"]*"', '""', text)  # a DESCRIPTION may hold "--" or "::="
        text = re.sub(r"--.*", "", text)
        module = re.search(r"^\s*([\w-]+)\s+DEFINITIONS\s*::=\s*BEGIN", text, re.M).group(1)
        for name, syntax in TC.findall(text):
            if enum(syntax) is not None:
                self.tc_enum[name] = enum(syntax)
                self.module[name] = module
        for name, kind, body, parent, sub in DEFINITION.findall(text):
            self.parent[name] = (parent, int(sub))
            self.kind[name], self.module[name] = kind, module
            m = SYNTAX.search(body)
            if kind == "OBJECT-TYPE" and m:
                self.syntax[name] = m.group(1)

    def resolve(self, name):
        if name == "enterprises":
            return ENTERPRISES
        if name not in self.oid:
            if name not in self.parent:
                return None
            parent, sub = self.parent[name]
            above = self.resolve(parent)
            self.oid[name] = None if above is None else above + [sub]
        return self.oid[name]

    def object_at(self, oid):
        """The OBJECT-TYPE whose OID is the longest prefix of oid (a list of ints), or None."""
        best = None
        for name, kind in self.kind.items():
            own = self.oid[name]
            if kind == "OBJECT-TYPE" and oid[:len(own)] == own:
                if best is None or len(own) > len(self.oid[best]):
                    best = name
        return best

    def enum_of(self, obj):
        """(value map name, {number: label}) of an enum object, None for any other."""
        syntax = self.syntax.get(obj, "")
        if enum(syntax) is not None:
            return "%s::%s" % (self.module[obj], obj), enum(syntax)
        if syntax in self.tc_enum:
            return "%s::%s" % (self.module[syntax], syntax), self.tc_enum[syntax]
        return None

    def enums(self):
        """Every enum of the MIBs by its value map name."""
        out = {"%s::%s" % (self.module[tc], tc): e for tc, e in self.tc_enum.items()}
        for obj in self.syntax:
            if self.enum_of(obj) and enum(self.syntax[obj]) is not None:
                name, e = self.enum_of(obj)
                out[name] = e
        return out


def items(node):
    """Every item, item prototype and discovery rule of the template (dicts with a key)."""
    if isinstance(node, dict):
        if "key" in node and "type" in node:
            yield node
        for value in node.values():
            yield from items(value)
    elif isinstance(node, list):
        for value in node:
            yield from items(value)


def check_valuemaps(mibs, template, ok, bad):
    enums = mibs.enums()
    maps = {}
    for vm in template.get("valuemaps", []):
        got = {}
        for m in vm.get("mappings", []):
            if m.get("type", "EQUAL") != "EQUAL":
                bad.append("value map %s: mapping of type %s" % (vm["name"], m["type"]))
            got[int(m["value"])] = m["newvalue"]
        maps[vm["name"]] = got
        if vm["name"] not in enums:
            bad.append("value map %s names no enum of the MIBs" % vm["name"])
        elif got != enums[vm["name"]]:
            bad.append("value map %s maps %s, the MIB says %s" % (vm["name"], got, enums[vm["name"]]))
        else:
            ok.append("value map %s = the MIB's %s" % (vm["name"], ", ".join(
                "%s(%d)" % (label, n) for n, label in sorted(got.items()))))
    return maps


def check_polled(mibs, template, maps, ok, bad):
    enum_items = 0
    for item in items(template):
        oid = str(item.get("snmp_oid", ""))
        if item["type"] != "SNMP_AGENT" or oid.startswith("discovery["):
            continue
        arcs = [int(a) for a in re.sub(r"\.\{#\w+\}$", "", oid).split(".")]
        obj = mibs.object_at(arcs)
        mapped = (item.get("valuemap") or {}).get("name")
        if obj is None:
            bad.append("item %s polls %s, which no MIB object holds" % (item["key"], oid))
            continue
        want = mibs.enum_of(obj)
        if want is None:
            if mapped:
                bad.append("item %s (%s, no enum) has value map %s" % (item["key"], obj, mapped))
            continue
        enum_items += 1
        if mapped != want[0]:
            bad.append("item %s polls the enum %s: value map %s, want %s" % (item["key"], obj, mapped, want[0]))
        elif mapped not in maps:
            bad.append("item %s: value map %s is not in the template" % (item["key"], mapped))
    ok.append("%d items poll an enum column, each with the value map of its enum" % enum_items)


def check_traps(mibs, template, ok, bad):
    root = mibs.oid["numaNotifications"]
    want = {mibs.oid[n][-1]: n for n, k in mibs.kind.items()
            if k == "NOTIFICATION-TYPE" and mibs.oid[n][:-1] == root}
    texts = {sub: ("OID: .%s\t" % ".".join(map(str, root + [sub])),
                   "OID: %s::%s\t" % (mibs.module[name], name)) for sub, name in want.items()}
    got = {}
    for item in items(template):
        if not str(item["key"]).startswith("snmptrap["):
            continue
        m = TRAP_KEY.match(item["key"])
        if not m or item["type"] != "SNMP_TRAP":
            bad.append("trap item %s (type %s) is not snmptrap[\"(ARC\\.0\\.N|::NAME)...\"]" % (item["key"], item["type"]))
            continue
        sub, name = int(m.group(2)), m.group(3)
        got[sub] = name
        if int(m.group(1)) != root[-2] or want.get(sub) != name:
            bad.append("trap item %s: the MIB's notification %s.0.%d is %s" % (item["key"], root[-2], sub, want.get(sub)))
        regexp = re.compile(item["key"][len('snmptrap["'):-len('"]')])
        hits = sorted(s for s, pair in texts.items() if all(regexp.search(t) for t in pair))
        misses = sorted(s for s, pair in texts.items() if any(regexp.search(t) for t in pair))
        if hits != [sub] or misses != [sub]:
            bad.append("trap item %s matches the traps of notifications %s" % (item["key"], misses))
    if got == want:
        ok.append("%d trap items, one per notification: %s" % (len(got), " ".join(
            "%d:%s" % (s, n) for s, n in sorted(got.items()))))
    else:
        bad.append("trap items %s, the MIB's notifications %s" % (sorted(got.items()), sorted(want.items())))


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        export = yaml.safe_load(f)["zabbix_export"]
    mibs = Mibs(sys.argv[2:])
    ok, bad = [], []
    for template in export["templates"]:
        maps = check_valuemaps(mibs, template, ok, bad)
        check_polled(mibs, template, maps, ok, bad)
        check_traps(mibs, template, ok, bad)
    for line in ok:
        print("ok: " + line)
    for line in bad:
        print("FAIL: " + line)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
