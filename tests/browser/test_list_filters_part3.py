"""Part 3 of every list's date filters typed in (filter_sweep.py): a file of its own, so that
pytest-xdist's workers share the sweep."""
from .filter_sweep import every_date_filter_is_applied_as_typed


def test_every_date_filter_is_applied_as_typed(open_page, live_server):
    every_date_filter_is_applied_as_typed(open_page, live_server, part=2)
