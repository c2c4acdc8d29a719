"""Every environment variable the settings read is in the README's table and .env.example."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def read_by_settings() -> set[str]:
    source = (ROOT / "config" / "settings.py").read_text()
    return set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z_0-9]+)"', source))


def test_the_readme_table_lists_every_setting():
    rows = [line for line in (ROOT / "README.md").read_text().splitlines() if line.startswith("|")]
    documented = set(re.findall(r"`([A-Z_0-9]+)`", "\n".join(rows)))
    assert read_by_settings() - documented == set()


def test_env_example_lists_every_setting():
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^#? ?([A-Z_0-9]+)=", example, flags=re.MULTILINE))
    assert read_by_settings() - listed == set()
