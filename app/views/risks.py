"""Screens and API of the risk register."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..models import Risk
from .register_spec import Register, build

# score and level are computed on save (Risk.sync_derived): never typed in
RISK_FORM = ["title", "category", "description", "likelihood", "impact", "response", "owner",
             "warning_signs", "status", "identified_on", "review_on"]


RISK = Register(
    Risk, "risk", form=RISK_FORM, base_order=("score", "desc"),
    list=["title", "category", "likelihood", "impact", "score", "level", "owner", "status", "review_on"],
    show=RISK_FORM[:5] + ["score", "level"] + RISK_FORM[5:] + ["updated_at"],
    search=["title", "category", "level", "score", "status", "owner_id", "review_on", "identified_on"],
    api_list=["id", "title", "category", "likelihood", "impact", "score", "level", "owner.id", "owner.name",
              "status", "identified_on", "review_on"],
    api_show=["description", "response", "warning_signs", "updated_at"],
    api_search=["title", "category", "level", "score", "status", "owner", "review_on"],
    api_order=["title", "category", "score", "level", "status", "review_on", "identified_on"],
    screen={"description_columns": {
        "likelihood": _l("1 = rare … 5 = almost certain; score = likelihood × impact: "
                         "15 or more high, 8 or more medium, else low"),
    }},
    # a new risk starts as identified (FAB would otherwise require the enum despite its default)
    api={"add_columns": [c for c in RISK_FORM if c != "status"]},
)
RiskView, RiskApi = build(RISK)
