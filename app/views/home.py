"""The landing page: each role sees what it works on."""
from flask import g
from flask_appbuilder import IndexView


class HomeView(IndexView):
    """Home page; anonymous visitors see the login prompt."""

    index_template = "home.html"
