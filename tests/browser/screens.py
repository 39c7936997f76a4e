"""What a person does and reads on the screens, for the journeys: pick from a search box, read a
record page, read the messages, find English left on a Chinese page."""
from __future__ import annotations

import re
from contextlib import contextmanager

from playwright.sync_api import Page, expect

DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")  # the one date-time format of the screens


def choose(page: Page, field: str, text: str) -> None:
    """Open the search box of a select field (Select2), type, and take the highlighted match."""
    page.locator(f"select#{field} + .select2 .select2-selection").click()
    search = page.locator(".select2-container--open .select2-search__field")
    # a person's typing starts with a key going down: Select2 4.0.13 ignores an input event that
    # follows its own Enter (the choice before) until a key is pressed, and fill() presses none
    search.press("End")
    search.fill(text)
    # and ends with one going up: Select2 also searches on keyup, so a fill whose input event it
    # dropped (once in CI: the list stayed unfiltered for 30 s) is searched all the same
    search.press("End")
    option = page.locator(".select2-results__option--highlighted", has_text=text)
    expect(option).to_be_visible()
    search.press("Enter")
    expect(page.locator(f"select#{field} + .select2 .select2-selection")).to_contain_text(text)


def fill_text(page: Page, field: str, text: str) -> None:
    page.locator(f"#{field}").fill(text)


def fill_form(page: Page, choices: dict[str, str], texts: dict[str, str]) -> None:
    """Pick each select box's option (by its shown text), then type each text box."""
    for field, text in choices.items():
        choose(page, field, text)
    for field, text in texts.items():
        fill_text(page, field, text)


@contextmanager
def saving(page: Page):
    """Wait for the page a click or submit leads to."""
    with page.expect_navigation():
        yield


def save_form(page: Page) -> None:
    """The Save button of a FAB add / edit form."""
    with saving(page):
        page.locator("form button[type=submit], form input[type=submit]").first.click()


def record_field(page: Page, label: str) -> str:
    """The value beside a label on a record page (FAB's show table)."""
    cell = page.locator(f"xpath=//table//tr[normalize-space(*[1])={_xpath_text(label)}]/*[2]").first
    return cell.inner_text().strip()


def messages(page: Page) -> list[str]:
    """The flashed messages on top of the page."""
    return [t.replace("×", "").strip() for t in page.locator(".alert").all_inner_texts()]


def _xpath_text(text: str) -> str:
    return f'"{text}"' if '"' not in text else f"'{text}'"


# Latin words a Chinese page may show: codes and names that are not English text.
KEPT_LATIN = {
    "ECharts", "Excel", "SLA", "KPI", "KPIs", "ID", "SR", "LY", "PR", "CG", "PD", "PDF", "API", "OK",
    "admin", "manager", "tech", "field", "cs", "keeper", "English", "h", "min", "pcs", "USB", "GPS",
    "UPS", "RAID", "GNSS", "CPU", "SSD", "LED", "IP", "GIS", "JPEG", "PNG", "WebP", "Office", "MB", "KB",
}


def english_left(page: Page, kept: set[str] = frozenset()) -> list[str]:
    """Visible text on the page with English words in it (a word = 2+ Latin letters), minus codes,
    numbers, record numbers, usernames and brand names. Titles and placeholders count too."""
    texts = page.evaluate(
        """() => {
        const out = [];
        const visible = (el) => !!(el && (el.offsetWidth || el.offsetHeight || el.getClientRects().length))
            && getComputedStyle(el).visibility !== 'hidden';
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const el = n.parentElement;
            if (!el || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'OPTION'].includes(el.tagName)) continue;
            if (el.closest('[data-no-i18n], .select2-hidden-accessible')) continue;
            const t = n.textContent.trim();
            if (t && visible(el)) out.push(t);
        }
        for (const el of document.querySelectorAll('[placeholder], [title], [aria-label], input[type=submit]')) {
            if (!visible(el)) continue;
            for (const a of ['placeholder', 'title', 'value']) {
                if (a === 'value' && el.type !== 'submit') continue;
                const v = (el.getAttribute(a) || '').trim();
                if (v) out.push(v);
            }
        }
        return out;
    }"""
    )
    allowed = KEPT_LATIN | set(kept)
    found = []
    for text in texts:
        words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’]+", _strip_codes(text)) if w not in allowed]
        if words:
            found.append(text)
    return sorted(set(found))


def _strip_codes(text: str) -> str:
    text = re.sub(r"\b[A-Z]{1,4}-\d{4}-\d{3,6}\b", " ", text)  # SR-2026-000123, LY-2026-0001
    text = re.sub(r"\b[A-Z0-9]+[-_/.][A-Z0-9-_/.]+\b", " ", text)  # part codes, models, serials
    text = re.sub(r"\b[\w.+-]+@[\w.-]+\b", " ", text)  # e-mail addresses
    text = re.sub(r"https?://\S+", " ", text)
    return text
