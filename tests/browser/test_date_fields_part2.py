"""Part 2 of every edit form's date boxes typed in (form_sweep.py): a file of its own, so that
pytest-xdist's workers share the sweep."""
from .form_sweep import every_edit_form_takes_typed_dates_and_shows_them_back


def test_every_edit_form_takes_typed_dates_and_shows_them_back(open_page, live_server, shot):
    every_edit_form_takes_typed_dates_and_shows_them_back(open_page, live_server, shot, part=1)
