#!/usr/bin/env python3
"""Source rules no compiler or formatter checks; fails (exit 1) naming the file and line.

- No function value kept directly in a `Mutex` (`Mutex<() -> T>`, `Mutex<Handler?>` where Handler is a function
  typealias). Swift reabstracts a function held in generic storage on every `inout` access and writes it back wrapped
  in two more thunks, so after thousands of `withLock` calls, calling it walks thousands of thunks and finally
  overflows the stack. It happened twice (the kubelet's SIGSEGV under churn, issue 9; the store's commit observer,
  issue 12). Keep the function in a struct field instead (see `CacheLookup`).
"""
import os
import re
import sys

ROOTS = ["Shared", "Services", "Tests"]


def swift_files():
    for root in ROOTS:
        for folder, _, files in os.walk(root):
            for name in files:
                if name.endswith(".swift"):
                    yield os.path.join(folder, name)


def main():
    sources = {path: open(path, encoding="utf-8").read() for path in swift_files()}
    # typealias Name = ... -> ...  (a function type, possibly @Sendable / @escaping)
    function_aliases = set()
    for text in sources.values():
        for match in re.finditer(r"typealias\s+(\w+)\s*(?:<[^=]*>)?\s*=\s*([^\n]+)", text):
            if "->" in match.group(2):
                function_aliases.add(match.group(1))
    problems = []
    for path, text in sorted(sources.items()):
        for number, line in enumerate(text.splitlines(), 1):
            if line.lstrip().startswith("//"):
                continue
            for match in re.finditer(r"Mutex<(.+?)>(?=\s*[(=]|\s*$)", line):
                argument = match.group(1).strip()
                bare = argument.rstrip("?").strip("() ")
                # An array or dictionary of functions keeps them at its elements' own abstraction: not affected.
                if argument.startswith("["):
                    continue
                if "->" in argument or bare in function_aliases:
                    problems.append(f"{path}:{number}: Mutex<{argument}> keeps a function directly; "
                                    "put it in a struct field (see CacheLookup)")
    if problems:
        print("source: rules broken (scripts/check-source.py says why each rule exists):")
        for problem in problems:
            print("  " + problem)
        return 1
    print(f"source: {len(sources)} files, no function kept directly in a Mutex")
    return 0


if __name__ == "__main__":
    sys.exit(main())
