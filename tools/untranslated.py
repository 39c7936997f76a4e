"""List the strings of the app that a catalog lacks, leaves empty or marks fuzzy, with where they are used.

    .venv/bin/python tools/untranslated.py            # both catalogs, one block per catalog
    .venv/bin/python tools/untranslated.py --tsv      # "msgid<TAB>" lines of zh_Hans, to fill in
    .venv/bin/python tools/untranslated.py --fill FILE.tsv   # write "msgid<TAB>简体" lines into zh_Hans

Extracts afresh (like `make translations`, but with source locations) so the list also names
strings not merged into the catalogs yet. Exit status 1 when anything is left (CI-friendly).
`--fill` only sets empty or fuzzy zh_Hans entries; then `tools/zh_hant.py app` fills zh_Hant.
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("zh_Hans", "zh_Hant")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def catalog_path(locale: str) -> Path:
    return ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po"


def extracted() -> Catalog:
    """Every string of the app with its source locations (babel.cfg decides which files)."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    catalog = Catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _done(msg) -> bool:
    if msg is None or msg.fuzzy:
        return False
    return all(msg.string) if isinstance(msg.string, tuple) else bool(msg.string)


def left(source: Catalog, locale: str) -> list:
    """(message, why) for each extracted string the locale's catalog does not translate."""
    with catalog_path(locale).open("rb") as f:
        mine = read_po(f, locale=locale)
    out = []
    for msg in source:
        if not msg.id:
            continue
        have = mine.get(msg.id, msg.context)
        if not _done(have):
            why = "missing" if have is None else "fuzzy" if have.fuzzy else "untranslated"
            out.append((msg, why))
    return out


def fill(tsv: str) -> int:
    """Set empty / fuzzy zh_Hans entries from `msgid<TAB>translation` lines; returns how many."""
    rows = {}
    for line in Path(tsv).read_text(encoding="utf-8").splitlines():
        if line.strip():
            msgid, text = line.split("\t", 1)
            rows[msgid] = text
    path = catalog_path("zh_Hans")
    with path.open("rb") as f:
        catalog = read_po(f, locale="zh_Hans")
    count = 0
    for msg in catalog:
        if msg.id and msg.id in rows and not _done(msg) and rows[msg.id]:
            msg.string = rows[msg.id]
            msg.flags.discard("fuzzy")
            count += 1
    with path.open("wb") as f:
        write_po(f, catalog, width=0, no_location=True)
    return count


def main(argv: list[str]) -> int:
    if argv[:1] == ["--fill"] and len(argv) == 2:
        print(f"{fill(argv[1])} zh_Hans entries filled; now run tools/zh_hant.py app")
        return 0
    source = extracted()
    if argv[:1] == ["--tsv"]:
        for msg, _why in left(source, "zh_Hans"):
            print(f"{msg.id}\t")
        return 0
    total = 0
    for locale in LOCALES:
        rows = left(source, locale)
        total += len(rows)
        print(f"# {locale}: {len(rows)} left")
        for msg, why in rows:
            where = ", ".join(f"{path}:{line}" for path, line in msg.locations[:3])
            print(f"{why:12} {msg.id!r}\n{'':12} #: {where}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
