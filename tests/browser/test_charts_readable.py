"""The dashboard's charts are readable in each language on a 1 400 px screen: no label cut short
("Impo…"), no label drawn outside its box, every legend entry shown (no paged legends)."""
from __future__ import annotations

import pytest

from .test_journey_manager import CHARTS_DRAWN

# Every chart's draw animation has run to its end (zrender's animation has no clip left): the
# condition a fixed sleep only guessed at.
ANIMATIONS_DONE = """() => [...document.querySelectorAll('.chart-box')].every((box) => {
  const chart = echarts.getInstanceByDom(box);
  return !chart || chart.getZr().animation.isFinished();
})"""

# Every text ECharts drew on each chart's canvas (the spans it really painted, after any
# truncation), and whether it lies inside the chart's box.
READ_CHARTS = """() => Array.from(document.querySelectorAll('.chart-box')).map(box => {
  const chart = echarts.getInstanceByDom(box);
  if (!chart) { return null; }
  const w = box.clientWidth, h = box.clientHeight;
  const texts = chart.getZr().storage.getDisplayList()
    .filter(el => el.type === 'tspan' && el.style && el.style.text && !el.invisible && !el.ignore);
  const outside = texts.filter(el => {
    const r = el.getBoundingRect().clone();
    const m = el.getComputedTransform();
    if (m) { r.applyTransform(m); }
    return r.x < -1 || r.y < -1 || r.x + r.width > w + 1 || r.y + r.height > h + 1;
  });
  const legends = chart.getOption().legend || [];
  return {
    url: box.getAttribute('data-chart-url'),
    texts: texts.map(el => el.style.text),
    cut: texts.map(el => el.style.text).filter(t => t.endsWith('…') || t.endsWith('...')),
    outside: outside.map(el => el.style.text),
    paged: legends.some(l => l.type === 'scroll'),
  };
}).filter(Boolean)"""


@pytest.mark.parametrize("locale", ["en", "zh_Hans"])
def test_every_chart_label_is_whole_and_inside_its_box(open_page, live_server, shot, locale):
    manager = open_page("manager", locale=locale)
    manager.goto(live_server("/dashboard/"))
    manager.wait_for_function(CHARTS_DRAWN)
    manager.wait_for_function(ANIMATIONS_DONE)  # labels are read where the 300 ms draw animation leaves them
    charts = manager.evaluate(READ_CHARTS)
    assert len(charts) >= 6
    assert sum(len(c["texts"]) for c in charts) > 100, "the charts drew their labels"
    assert [(c["url"], c["cut"]) for c in charts if c["cut"]] == []
    assert [(c["url"], c["outside"]) for c in charts if c["outside"]] == []
    assert [c["url"] for c in charts if c["paged"]] == []
    shot(manager, f"dashboard-{locale}")
