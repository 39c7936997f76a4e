"""An engineer on a phone: my work today, a repair with two photos and the customer's drawn signature."""
from __future__ import annotations

import io
import re

import openpyxl
from PIL import Image

PHONE = {"width": 375, "height": 812}


def jpeg(color: str, name: str) -> dict:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), color).save(out, "JPEG")
    return {"name": name, "mimeType": "image/jpeg", "buffer": out.getvalue()}


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width}px wide at phone size"


def draw_signature(page) -> None:
    """Two strokes with the mouse across the pad, as a customer signs."""
    box = page.locator("#signature-pad").bounding_box()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    for stroke in ([(0.1, 0.6), (0.25, 0.3), (0.4, 0.7), (0.55, 0.35)], [(0.6, 0.5), (0.75, 0.4), (0.9, 0.6)]):
        page.mouse.move(x + w * stroke[0][0], y + h * stroke[0][1])
        page.mouse.down()
        for px, py in stroke[1:]:
            page.mouse.move(x + w * px, y + h * py, steps=8)
        page.mouse.up()


def test_field_engineer_records_a_repair_with_photos_and_signature(open_page, live_server, shot):
    page = open_page("field1", **PHONE)
    page.goto(live_server("/field/today"))
    cards = page.locator(".work-card")
    assert cards.count() >= 1, "field1 has open tickets in the demo department"
    assert page.locator(".work-card a.tel-link[href^='tel:']").count() >= 1
    no_sideways_scroll(page)
    shot(page, "field-my-work-today-375")

    card = cards.first
    number = card.get_attribute("data-ticket")
    with page.expect_navigation():
        card.locator("a.record-repair").click()
    assert "/field/repair/" in page.url
    page.fill("#work_done", "更换高频头，信号恢复")
    page.fill("#parts_replaced", "高频头 x1")
    page.set_input_files("input.upload-camera", [jpeg("#3a6ea5", "site-1.jpg"), jpeg("#a53a3a", "site-2.jpg")])
    assert "site-1.jpg" in page.locator(".chosen-files").inner_text()
    no_sideways_scroll(page)
    with page.expect_navigation():
        page.click("button.save-repair")
    match = re.search(r"/field/sign/(\d+)", page.url)
    assert match, f"not on the signature page: {page.url} {page.content()[:500]}"
    record_id = match.group(1)
    assert page.locator(".sign-photos img").count() == 2

    # saving without drawing is stopped in the page
    page.fill("#signer", "李主任")
    page.click("button.save-signature")
    assert page.locator(".signature-error").is_visible()
    draw_signature(page)
    no_sideways_scroll(page)
    shot(page, "field-signature-pad-375")
    with page.expect_navigation():
        page.click("button.save-signature")
    assert "/field/today" in page.url
    signed = page.locator(f".work-card[data-ticket='{number}'] .repair-line .text-success")
    assert "李主任" in signed.first.inner_text()

    # the repair record page: the gallery with the two photos; locked against edits
    page.goto(live_server(f"/repairrecordview/show/{record_id}"))
    gallery = page.locator("#attachments")
    assert gallery.locator("img").count() == 2
    no_sideways_scroll(page)
    gallery.scroll_into_view_if_needed()
    shot(page, "field-repair-gallery-375")
    thumb = gallery.locator("img").first.get_attribute("src")
    attachment_id = thumb.rstrip("/").rsplit("/", 1)[-1]

    # the Excel form carries the drawn signature in its signature box
    resp = page.request.get(live_server(f"/repairrecordview/form/{record_id}.xlsx"))
    assert resp.status == 200
    ws = openpyxl.load_workbook(io.BytesIO(resp.body())).worksheets[0]
    assert len(ws._images) == 1
    anchor = ws._images[0].anchor._from
    assert ws.cell(row=anchor.row + 1, column=anchor.col + 1).value == "Customer signature:"
    drawn = Image.open(io.BytesIO(ws._images[0]._data())).convert("RGBA")
    assert drawn.getbbox() is not None and any(a > 0 for a in drawn.getchannel("A").getdata())

    # another engineer sees neither the record nor its photos
    other = open_page("field2", **PHONE)
    assert other.request.get(live_server(f"/attachmentview/file/{attachment_id}")).status == 404
    assert other.request.get(live_server(f"/attachmentview/thumb/{attachment_id}")).status == 404
    assert other.request.get(live_server(f"/repairrecordview/show/{record_id}")).status == 404
    other.goto(live_server("/attachmentview/list/"))
    assert other.locator(f"a[href$='/attachmentview/show/{attachment_id}']").count() == 0


def test_equipment_labels_open_the_equipment_page(open_page, live_server, shot):
    page = open_page("field1", **PHONE)
    page.goto(live_server("/equipmentview/list/"))
    with page.expect_navigation():
        page.locator("a[href*='/equipmentview/show/']").first.click()
    with page.expect_navigation():
        page.locator("a.equipment-labels").click()
    labels = page.locator(".label-card")
    assert labels.count() >= 1 and labels.count() == page.locator(".label-card svg").count()
    no_sideways_scroll(page)
    shot(page, "equipment-labels-375")
    # what a label's QR code holds is the equipment page's address (the SVG's title carries it)
    target = labels.first.locator("svg title").text_content()
    assert target.startswith(live_server("/equipmentview/show/")), target
    page.goto(target)
    for panel in ("Warranty", "Open tickets", "Repairs", "Inspections"):
        assert page.get_by_text(panel, exact=True).count() >= 1, panel
    assert page.locator(".equipment-warranty .label").count() == 1
    no_sideways_scroll(page)
    shot(page, "equipment-page-375")


def test_print_views_of_the_service_report_and_repair_record(open_page, live_server, shot):
    page = open_page("manager")
    page.goto(live_server("/repairrecordview/list/"))
    with page.expect_navigation():
        page.locator("a[href*='/repairrecordview/show/']").first.click()
    with page.expect_navigation():
        page.locator("a.print-view").click()
    assert "/repairrecordview/print/" in page.url
    assert page.locator("h1").inner_text() == "On-site repair record"
    page.emulate_media(media="print")
    assert not page.locator(".print-toolbar").is_visible()
    shot(page, "print-repair-record")
    page.goto(live_server("/ticketview/list/"))
    with page.expect_navigation():
        page.locator("a[href*='/ticketview/show/']").first.click()
    with page.expect_navigation():
        page.locator("a.print-view").click()
    assert page.locator("h1").inner_text() == "Service report"
