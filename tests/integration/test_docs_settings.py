"""docs/operations.md documents every setting the binary accepts."""
import os
import re

from conftest import ROOT, run_cli


def test_every_setting_is_documented():
    help_text = run_cli("serve", "--help").stdout
    flags = {f.replace("-", "_") for f in re.findall(r"--([a-z][a-z0-9-]+)", help_text)} - {"help", "config"}
    assert len(flags) > 20, help_text
    with open(os.path.join(ROOT, "docs", "operations.md")) as f:
        doc = f.read()
    documented = set()
    for row in re.findall(r"^\| ([a-z0-9_, ]+) \|", doc, flags=re.M):
        documented |= {name.strip() for name in row.split(",")}
    missing = sorted(flags - documented)
    assert not missing, f"settings missing from docs/operations.md: {missing}"
