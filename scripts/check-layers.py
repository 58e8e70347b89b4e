#!/usr/bin/env python3
"""Checks the target graph against the layers of docs/architecture.md ("Layers: what may import what").

Reads `swift package dump-package` and each target's sources. Fails (exit 1), naming the target and the rule, when
- a target declares a dependency that none of its files imports, or imports a module it does not declare;
- a layer depends on one it may not (below: what each kind of target may depend on, among this package's targets).
Third-party products (swift-log, NIO, GRDB, ...) are checked only for the first rule.
"""
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The shared base, bottom up: each may depend only on those listed.
BASE = {
    "CZeroMQ": set(),
    "JSONCore": set(),
    "Bus": {"CZeroMQ", "JSONCore"},
    "Schema": {"JSONCore"},
    "Wire": {"JSONCore", "Schema"},
    "Client": {"Bus", "Schema", "Wire"},
    "ServiceKit": {"Bus", "Client", "Schema"},
}
# A service's library: the base (never ServiceKit, which is for executables), plus the frameworks named here.
SERVICE_LIBRARIES = {
    "Broker": set(), "Store": set(), "APIServer": set(), "Scheduler": set(), "Kubelet": set(), "Proxy": set(),
    "DNS": set(), "ControllerKit": set(), "Controllers": {"ControllerKit"}, "Ingress": {"ControllerKit"},
    "KubusCtl": set(), "UpKit": {"CZygote"}, "CZygote": set(), "Soak": set(), "LoadKit": set(),
}
# Command lines kept apart from their executables, so tests and the multi-call `kubus` reach them: a service's
# library (and its framework) and the base with ServiceKit.
COMMAND_LINES = {
    "KubeletCLI": {"Kubelet"}, "BusCLI": {"Broker"}, "StoreCLI": {"Store"}, "APICLI": {"APIServer"},
    "SchedulerCLI": {"Scheduler"}, "ControllerCLI": {"Controllers", "ControllerKit"}, "ProxyCLI": {"Proxy"},
    "NetworkPolicyCLI": {"Proxy"}, "DNSCLI": {"DNS"}, "IngressCLI": {"Ingress", "ControllerKit"}, "UpCLI": {"UpKit"},
}
TESTING = {"BusTesting", "StoreTesting", "APITesting", "ControllerTesting"}

ALIASES = {"swift-log": "Logging", "GRDB.swift": "GRDB"}


def module_of(dependency):
    if "byName" in dependency:
        return dependency["byName"][0]
    if "target" in dependency:
        return dependency["target"][0]
    return dependency["product"][0]


def imports_of(path, exclude):
    found = set()
    for folder, _, files in os.walk(os.path.join(ROOT, path)):
        relative = os.path.relpath(folder, os.path.join(ROOT, path))
        if any(relative == e or relative.startswith(e + "/") for e in exclude):
            continue
        for name in files:
            if not name.endswith(".swift"):
                continue
            for line in open(os.path.join(folder, name), encoding="utf-8"):
                match = re.match(r"\s*(?:@testable\s+|@preconcurrency\s+|public\s+|package\s+|internal\s+)*import\s+"
                                 r"([A-Za-z_][A-Za-z0-9_]*)", line)
                if match:
                    found.add(match.group(1))
    return found


def main():
    dump = subprocess.run(["swift", "package", "dump-package"], cwd=ROOT, capture_output=True, text=True, check=True)
    package = json.loads(dump.stdout)
    targets = {t["name"]: t for t in package["targets"]}
    ours = set(targets)
    problems = []
    for name, target in sorted(targets.items()):
        if target["type"] == "system":
            continue
        declared = {module_of(d) for d in target["dependencies"]}
        path = target.get("path") or ""
        imported = imports_of(path, target.get("exclude") or [])
        # A product's module may differ from its product name only as ALIASES says; all of ours match.
        unused = {d for d in declared if d not in imported}
        undeclared = {m for m in imported if m in ours and m not in declared and m != name}
        for d in sorted(unused):
            problems.append(f"{name}: declares {d} but no file imports it")
        for m in sorted(undeclared):
            problems.append(f"{name}: imports {m} but does not declare it")
        first_party = declared & ours
        if name in BASE:
            allowed = BASE[name]
            rule = "the shared base depends only on what is below it"
        elif name in SERVICE_LIBRARIES:
            allowed = (set(BASE) - {"ServiceKit"}) | SERVICE_LIBRARIES[name]
            rule = "a service library depends on the shared base (not ServiceKit) and no other service"
        elif name in COMMAND_LINES:
            allowed = set(BASE) | COMMAND_LINES[name]
            rule = "a command line depends on its service's library and the base"
        elif name in TESTING:
            allowed = ours - {t for t in ours if targets[t]["type"] in ("executable", "test")}
            rule = "a testing seam depends on libraries"
        elif target["type"] == "executable":
            allowed = ours - TESTING - {t for t in ours if targets[t]["type"] in ("executable", "test")}
            rule = "an executable depends on libraries, never on a testing seam"
        elif target["type"] == "test":
            allowed = ours - {t for t in ours if targets[t]["type"] == "test"}
            rule = "a test target depends on anything but another test target"
        else:
            problems.append(f"{name}: not in any layer of scripts/check-layers.py; add it to one")
            continue
        for d in sorted(first_party - allowed):
            problems.append(f"{name}: depends on {d}; {rule}")
    users = {}
    for name, target in targets.items():
        for d in target["dependencies"]:
            users.setdefault(module_of(d), set()).add(name)
    for seam in sorted(TESTING):
        for user in sorted(users.get(seam, set())):
            if targets[user]["type"] != "test" and user not in TESTING:
                problems.append(f"{user}: depends on the testing seam {seam}; only tests may")
    if problems:
        print("layers: the target graph breaks docs/architecture.md's rules:")
        for p in problems:
            print("  " + p)
        return 1
    print(f"layers: {len(targets)} targets, every dependency declared, imported and allowed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
