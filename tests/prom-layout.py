#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# tests/prom-layout.py: checks that an snmp_exporter >= 0.23 config (auths: + modules:) holds the
# modules of a 0.21 one with version/auth moved into auths.numatopd_v2 (tests/prometheus.sh).
#
#	prom-layout.py OLD_0.21.yml NEW_0.23.yml   prints "ok: N modules" or the problems; exit 0/1
#
# The allowed keys are the yaml fields of snmp_exporter v0.23.0's config/config.go (Config, Module
# with WalkParams inline, Auth): 0.23 loads with UnmarshalStrict, so any other key is an error.
import sys

import yaml

TOP = {"auths", "modules"}
MODULE = {"walk", "get", "metrics", "max_repetitions", "retries", "timeout",
          "use_unconnected_udp_socket", "allow_nonincreasing_oids", "filters"}
AUTH = {"community", "security_level", "username", "password", "auth_protocol",
        "priv_protocol", "priv_password", "context_name", "version"}


def problems(old, new):
    bad = []
    if set(new) != TOP:
        bad.append("top-level keys %s, want %s" % (sorted(new), sorted(TOP)))
    auth = (new.get("auths") or {}).get("numatopd_v2")
    if not auth or set(auth) - AUTH or auth.get("version") != 2 or "community" not in auth:
        bad.append("auths.numatopd_v2 is %r" % (auth,))
    mods = new.get("modules") or {}
    if set(mods) != set(old):
        bad.append("modules %s, the 0.21 file has %s" % (sorted(mods), sorted(old)))
    for name, mod in mods.items():
        extra = set(mod) - MODULE
        if extra:
            bad.append("module %s: keys 0.23 rejects: %s" % (name, sorted(extra)))
        want = dict(old.get(name) or {})
        moved = {k: want.pop(k) for k in ("version", "auth") if k in want}
        if mod != want:
            bad.append("module %s differs from the 0.21 one beyond version/auth" % name)
        if auth and moved.get("auth", {}).get("community") != auth.get("community"):
            bad.append("module %s: its community is not the one of auths.numatopd_v2" % name)
        if auth and moved.get("version") != auth.get("version"):
            bad.append("module %s: version %r, auths has another" % (name, moved.get("version")))
    return bad


def main():
    with open(sys.argv[1]) as f:
        old = yaml.safe_load(f)
    with open(sys.argv[2]) as f:
        new = yaml.safe_load(f)
    bad = problems(old, new)
    print("\n".join(bad) if bad else "ok: %d modules" % len(new["modules"]))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
