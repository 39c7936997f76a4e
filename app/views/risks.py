"""Screens and API of the risk register."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..models import Risk
from .base import ServiceModelView
from .interface import ServiceInterface
from .service_api import ServiceApi

# score and level are computed on save (Risk.sync_derived): never typed in
RISK_FORM = ["title", "category", "description", "likelihood", "impact", "response", "owner",
             "warning_signs", "status", "identified_on", "review_on"]


class RiskView(ServiceModelView):
    datamodel = ServiceInterface(Risk)
    list_columns = ["title", "category", "likelihood", "impact", "score", "level", "owner", "status", "review_on"]
    show_columns = RISK_FORM[:5] + ["score", "level"] + RISK_FORM[5:] + ["updated_at"]
    add_columns = edit_columns = RISK_FORM
    search_columns = ["title", "category", "level", "score", "status", "owner_id", "review_on", "identified_on"]
    base_order = ("score", "desc")
    description_columns = {
        "likelihood": _l("1 = rare … 5 = almost certain; score = likelihood × impact: "
                         "15 or more high, 8 or more medium, else low"),
    }


class RiskApi(ServiceApi):
    resource_name = "risk"
    datamodel = ServiceInterface(Risk)
    list_columns = ["id", "title", "category", "likelihood", "impact", "score", "level",
                    "owner.id", "owner.name", "status", "identified_on", "review_on"]
    show_columns = list_columns + ["description", "response", "warning_signs", "updated_at"]
    # a new risk starts as identified (FAB would otherwise require the enum despite its default)
    add_columns = [c for c in RISK_FORM if c != "status"]
    edit_columns = RISK_FORM
    search_columns = ["title", "category", "level", "score", "status", "owner", "review_on"]
    order_columns = ["title", "category", "score", "level", "status", "review_on", "identified_on"]
    base_order = ("score", "desc")
