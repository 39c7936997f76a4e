"""Every date and date-time box of every add form, and the first part of the edit forms' (the
sweeps are form_sweep.py's), typed into with the keyboard."""
from .form_sweep import every_add_form_takes_typed_dates, every_edit_form_takes_typed_dates_and_shows_them_back


def test_every_edit_form_takes_typed_dates_and_shows_them_back(open_page, live_server, shot):
    every_edit_form_takes_typed_dates_and_shows_them_back(open_page, live_server, shot, part=0)


def test_every_add_form_takes_typed_dates(open_page, live_server):
    every_add_form_takes_typed_dates(open_page, live_server)
