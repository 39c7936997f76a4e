"""Dev-time tool: Traditional Chinese from Simplified (OpenCC), for our catalog and for FAB's.

Not a runtime dependency. Run it with a throwaway environment that has OpenCC:

    python3 -m venv /tmp/cc && /tmp/cc/bin/pip install opencc-purepy
    /tmp/cc/bin/python tools/zh_hant.py app   # fill zh_Hant entries missing / fuzzy from zh_Hans
    /tmp/cc/bin/python tools/zh_hant.py fab /path/to/flask_appbuilder   # FAB's zh → zh_Hant

then review the changed entries (`git diff translations/`) and run `make translations`.
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
HANS = ROOT / "translations" / "zh_Hans" / "LC_MESSAGES" / "messages.po"
HANT = ROOT / "translations" / "zh_Hant" / "LC_MESSAGES" / "messages.po"
FAB_HANT = ROOT / "translations" / "fab" / "zh_Hant" / "LC_MESSAGES" / "messages.po"

# The department's own words where OpenCC's Taiwan phrasing differs and its slips (許可權, 錶單).
OVERRIDES = {
    "裝置": "設備", "崗位": "職位", "許可權": "權限", "錶單": "表單", "退出登入": "登出", "使用者組": "群組",
    "不支持": "不支援", "“": "「", "”": "」", "‘": "『", "’": "』",
    # Taiwan bookkeeping and UI wording; OpenCC's programming terms (物件, 型別, 釋出) do not fit here.
    "賬號": "帳號", "賬面": "帳面", "過賬": "過帳", "臺賬": "帳冊", "衝銷": "沖銷", "審計": "稽核",
    "物件": "對象", "JSON 對象": "JSON 物件", "型別": "類型", "片語成": "詞組成", "釋出": "發布",
    "文本": "文字", "打開": "開啟", "質量": "品質", "反饋": "回饋", "當前": "目前", "會話": "工作階段",
    "時間線": "時間軸", "錄入": "輸入",
}


def converter():
    from opencc_purepy import OpenCC

    cc = OpenCC("s2twp")

    def convert(text: str) -> str:
        out = cc.convert(text)
        for old, new in OVERRIDES.items():
            out = out.replace(old, new)
        return out

    return convert


def _convert_message(convert, string):
    if isinstance(string, (tuple, list)):
        return tuple(convert(s) for s in string)
    return convert(string)


def fill_app() -> int:
    """Fill every zh_Hant entry that is empty or fuzzy from its translated zh_Hans twin."""
    convert = converter()
    with HANS.open("rb") as f:
        hans = read_po(f, locale="zh_Hans")
    with HANT.open("rb") as f:
        hant = read_po(f, locale="zh_Hant")
    changed = 0
    for msg in hant:
        if not msg.id:
            continue
        twin = hans.get(msg.id, msg.context)
        done = msg.string and (all(msg.string) if isinstance(msg.string, tuple) else True)
        if (not done or msg.fuzzy) and twin is not None and twin.string and not twin.fuzzy:
            msg.string = _convert_message(convert, twin.string)
            msg.flags.discard("fuzzy")
            changed += 1
    with HANT.open("wb") as f:
        write_po(f, hant, width=0, omit_header=False)
    return changed


def build_fab(fab_dir: str) -> int:
    """translations/fab/zh_Hant: FAB's Simplified catalog converted (fuzzy entries left out)."""
    convert = converter()
    source = Path(fab_dir) / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
    with source.open("rb") as f:
        catalog = read_po(f, locale="zh_Hant")
    catalog.locale = "zh_Hant"
    count = 0
    for msg in list(catalog):
        if not msg.id:
            continue
        if msg.fuzzy or not msg.string:
            catalog.delete(msg.id, msg.context)
            continue
        msg.string = _convert_message(convert, msg.string)
        count += 1
    FAB_HANT.parent.mkdir(parents=True, exist_ok=True)
    with FAB_HANT.open("wb") as f:
        write_po(f, catalog, width=0, no_location=True)
    return count


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "app":
        print(f"{fill_app()} zh_Hant entries filled from zh_Hans")
    elif len(sys.argv) == 3 and sys.argv[1] == "fab":
        print(f"{build_fab(sys.argv[2])} FAB strings written to {FAB_HANT}")
    else:
        sys.exit(__doc__)
