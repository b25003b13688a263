#!/usr/bin/env python3
"""Every user-facing error message must be documented in troubleshooting.md.

Scans the C sources for the message literals passed to the error APIs
(ktstr_err_set, ktstr_diags_add, and the agent/report helpers listed in
CALLS) and for CMake `message(FATAL_ERROR ...)` texts, takes each literal's
leading text up to its first printf conversion, and checks that it appears
verbatim in docs/troubleshooting.md.  Prints every undocumented message and
exits 1 if there are any.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "troubleshooting.md"
SRC_DIRS = ["framework", "vmm", "kernels", "guest", "tap", "bpf"]
# function name -> index of the format-string argument
CALLS = {
    "ktstr_err_set": 2,
    "ktstr_diags_add": 3,
    "agent_error": 1,          # guest agent: ERROR frames
    "ktstr_failmsg": 2,        # run_report.c, sched_report.c: run failure messages
    "preflight_note": 1,       # preflight.c: CI pre-flight notes (TAP comments)
}
MIN_KEY = 8


def c_literals_after(text, start):
    """Concatenate adjacent C string literals starting at text[start:]."""
    out, i = [], start
    while True:
        m = re.compile(r'\s*"((?:[^"\\]|\\.)*)"').match(text, i)
        if not m:
            break
        out.append(m.group(1))
        i = m.end()
    return "".join(out) if out else None


def split_args(text, start):
    """Yield (index, arg_start) of top-level call arguments from '(' at start."""
    depth, idx, i = 0, 0, start
    yield 0, start + 1
    while i < len(text):
        c = text[i]
        if c == '"':
            i += 1
            while i < len(text) and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                return
        elif c == "," and depth == 1:
            idx += 1
            yield idx, i + 1
        i += 1


def key_of(lit):
    # Multi-line messages are keyed by their first line.
    lit = lit.split("\\n", 1)[0]
    lit = lit.replace('\\"', '"').replace("\\t", " ").replace("\\\\", "\\")
    key = re.split(r"%[-+ #0-9.*]*[a-zA-Z]", lit, maxsplit=1)[0].strip()
    return key


def messages():
    found = []
    for d in SRC_DIRS:
        for path in sorted((ROOT / d).rglob("*.c")):
            text = path.read_text(errors="replace")
            for name, argi in CALLS.items():
                for m in re.finditer(r"\b%s\s*\(" % name, text):
                    if re.match(r"\s*(int|void|static|const)\b", text[max(0, m.start() - 12):m.start()]):
                        continue
                    for idx, pos in split_args(text, m.end() - 1):
                        if idx == argi:
                            lit = c_literals_after(text, pos)
                            if lit is not None:
                                line = text.count("\n", 0, m.start()) + 1
                                found.append((path.relative_to(ROOT), line, key_of(lit)))
                            break
    for path in sorted((ROOT / "cmake").rglob("*.cmake")):
        text = path.read_text()
        for m in re.finditer(r'message\(FATAL_ERROR\s+"((?:[^"\\]|\\.)*)"', text):
            line = text.count("\n", 0, m.start()) + 1
            found.append((path.relative_to(ROOT), line, re.split(r"\$\{", m.group(1))[0].strip()))
    return found


def main():
    doc = DOC.read_text() if DOC.exists() else ""
    missing = []
    checked = 0
    for path, line, key in messages():
        if len(key) < MIN_KEY:
            continue
        checked += 1
        if key not in doc:
            missing.append(f"{path}:{line}: undocumented message: {key!r}")
    for m in missing:
        print(m)
    print(f"{checked} messages checked, {len(missing)} undocumented")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
