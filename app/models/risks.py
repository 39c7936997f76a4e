"""The department's risk register: technical, personnel and customer risks (000 §七)."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from .. import clock
from ..extensions import db
from .base import CodeEnum, Level, Timestamped, Validated, enum_column
from .derived import keep_derived
from .staff import Owned


class RiskCategory(CodeEnum):
    """000 §七(一): the three kinds of after-sales risk."""

    technical = "technical", _l("Technical")
    personnel = "personnel", _l("Personnel")
    customer = "customer", _l("Customer")


# 000 §七(二): high risks get a detailed plan, medium are controlled, low are monitored.
RiskLevel = Level


class RiskStatus(CodeEnum):
    identified = "identified", _l("Identified")
    monitoring = "monitoring", _l("Monitoring")
    mitigating = "mitigating", _l("Mitigating")
    occurred = "occurred", _l("Occurred")
    closed = "closed", _l("Closed")


# Thresholds on likelihood × impact (1–25): 000 §七(二) sorts risks into high / medium / low.
HIGH_FROM, MEDIUM_FROM = 15, 8


def level_for(likelihood: int, impact: int) -> tuple[int, RiskLevel]:
    """Score and level of a risk: score ≥ 15 high, ≥ 8 medium, else low."""
    score = likelihood * impact
    if score >= HIGH_FROM:
        return score, RiskLevel.high
    if score >= MEDIUM_FROM:
        return score, RiskLevel.medium
    return score, RiskLevel.low


class Risk(Owned, Timestamped, Validated, db.Model):
    """A risk with its assessment (likelihood × impact → level) and response."""

    __tablename__ = "risk"
    __field_labels__ = {
        "category": _l("Category"), "likelihood": _l("Likelihood (1–5)"), "impact": _l("Impact (1–5)"),
        "score": _l("Score"), "level": _l("Level"), "response": _l("Response strategy"),
        "warning_signs": _l("Warning signs"), "status": _l("Status"),
        "review_on": _l("Next review"), "identified_on": _l("Identified on"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200), index=True)
    category: Mapped[RiskCategory] = mapped_column(enum_column(RiskCategory), index=True)
    description: Mapped[str | None] = mapped_column(sa.Text)
    likelihood: Mapped[int] = mapped_column()
    impact: Mapped[int] = mapped_column()
    # kept in sync with likelihood × impact on every flush (app/services/risks.py)
    score: Mapped[int] = mapped_column(index=True)
    # the CHECK keeps the name it had when RiskLevel was an enum of its own
    level: Mapped[RiskLevel] = mapped_column(enum_column(RiskLevel, name="risklevel"), index=True)
    response: Mapped[str | None] = mapped_column(sa.Text)
    warning_signs: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[RiskStatus] = mapped_column(
        enum_column(RiskStatus), default=RiskStatus.identified, index=True
    )
    identified_on: Mapped[date] = mapped_column(default=clock.today_local, index=True)
    review_on: Mapped[date | None] = mapped_column(index=True)

    __table_args__ = (
        sa.CheckConstraint("likelihood BETWEEN 1 AND 5", name="likelihood_range"),
        sa.CheckConstraint("impact BETWEEN 1 AND 5", name="impact_range"),
        sa.CheckConstraint("score BETWEEN 1 AND 25", name="score_range"),
    )

    def __str__(self) -> str:
        return self.title

    def sync_derived(self) -> None:
        """Score and level from likelihood and impact."""
        self.score, self.level = level_for(self.likelihood, self.impact)

    def validation_errors(self) -> dict[str, str]:
        errors = {}
        for field in ("likelihood", "impact"):
            value = getattr(self, field, None)
            if value is None or not isinstance(value, int) or not 1 <= value <= 5:
                errors[field] = str(_l("Must be a whole number from 1 to 5."))
        identified, review = getattr(self, "identified_on", None), getattr(self, "review_on", None)
        if identified and review and review < identified:
            errors["review_on"] = str(_l("The review date must not be before the date identified."))
        return errors


keep_derived(Risk)
