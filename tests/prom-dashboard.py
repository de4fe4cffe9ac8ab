#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# tests/prom-dashboard.py: every metric name a Grafana dashboard's PromQL reads must exist: in a
# real scrape of the module, among the records of the rules file, or be Prometheus' own `up`
# (tests/prometheus-rules.sh).
#
#	prom-dashboard.py DASHBOARD.json RULES.yml NAMES    NAMES: the scrape's metric names, one a
#	                                                    line. Prints the names read; exit 0/1
import json
import re
import sys

import yaml

KEYWORDS = {"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring",
            "group_left", "group_right", "inf", "nan"}
# label lists: by (a, b), on(a), group_left (c) ...
LABEL_LIST = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
NUMBER = re.compile(r"(?<![\w:])\d+(\.\d+)?([eE][+-]?\d+)?")
NAME = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")


def exprs(node):
    """Every PromQL text of the dashboard: targets' expr, query variables' queries."""
    if isinstance(node, dict):
        for key, val in node.items():
            if key in ("expr", "definition") and isinstance(val, str):
                yield val
            elif key == "query" and isinstance(val, str) and "(" in val:
                yield val
            else:
                yield from exprs(val)
    elif isinstance(node, list):
        for item in node:
            yield from exprs(item)


def metric_names(expr):
    m = re.fullmatch(r"\s*label_values\(\s*([^,)]+)\s*(,[^)]*)?\)\s*", expr)
    if m:
        expr = m.group(1)
    expr = re.sub(r'"(\\.|[^"\\])*"', "", expr)
    expr = re.sub(r"\{[^}]*\}", "", expr)
    expr = re.sub(r"\[[^\]]*\]", "", expr)
    expr = re.sub(r"\$\{?\w+\}?", "", expr)
    expr = LABEL_LIST.sub("", expr)
    expr = NUMBER.sub("", expr)
    names = set()
    for tok in NAME.finditer(expr):
        rest = expr[tok.end():].lstrip()
        if rest.startswith("(") or tok.group(0) in KEYWORDS:
            continue
        names.add(tok.group(0))
    return names


def main():
    with open(sys.argv[1]) as f:
        dash = json.load(f)
    with open(sys.argv[2]) as f:
        rules = yaml.safe_load(f)
    with open(sys.argv[3]) as f:
        known = {line.strip() for line in f if line.strip()}
    records = {r["record"] for g in rules["groups"] for r in g["rules"] if "record" in r}
    known |= records | {"up"}
    used = set()
    for e in exprs(dash):
        used |= metric_names(e)
    unknown = sorted(used - known)
    for name in unknown:
        print("unknown metric %s: not in the scrape, not a record of the rules" % name)
    print("read %d names: %s" % (len(used), " ".join(sorted(used))))
    return 1 if unknown or not used else 0


if __name__ == "__main__":
    sys.exit(main())
