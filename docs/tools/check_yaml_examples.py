#!/usr/bin/env python3
"""Every complete scenario shown in README.md and docs/*.md validates.

A fenced ```yaml block is a complete scenario when it has a top-level
`cgroups:` key; fragments (a single key shown in isolation) are skipped.
Each is run through `ktstr validate`, the same loader the build uses, so an
example cannot drift from the language.

  check_yaml_examples.py KTSTR_BINARY
"""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.M | re.S)


def main():
    ktstr = sys.argv[1]
    files = [os.path.join(ROOT, "README.md")]
    docs = os.path.join(ROOT, "docs")
    files += [os.path.join(docs, f) for f in sorted(os.listdir(docs)) if f.endswith(".md")]
    checked = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            text = open(path, encoding="utf-8").read()
            for m in BLOCK.finditer(text):
                body = m.group(1)
                if not re.search(r"^cgroups:", body, re.M):
                    continue
                line = text.count("\n", 0, m.start()) + 2
                rel = os.path.relpath(path, ROOT)
                name = "%s_%d.yaml" % (re.sub(r"\W", "_", rel), line)
                yaml = os.path.join(tmp, name)
                with open(yaml, "w", encoding="utf-8") as f:
                    f.write(body)
                r = subprocess.run([ktstr, "validate", yaml], capture_output=True, text=True)
                checked += 1
                if r.returncode != 0:
                    failed += 1
                    out = (r.stdout + r.stderr).replace(yaml, "%s:%d (example)" % (rel, line))
                    sys.stderr.write(out)
    print("%d examples checked, %d invalid" % (checked, failed))
    return 1 if failed or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
