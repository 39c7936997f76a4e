"""Weekly technical meeting minutes and their action items (002 §2.4(7), 004 §七(一))."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..extensions import db
from .base import Timestamped, Validated
from .staff import Staff

meeting_attendee = sa.Table(
    "meeting_attendee",
    db.metadata,
    sa.Column("meeting_id", sa.ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("staff_id", sa.ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Meeting(Timestamped, Validated, db.Model):
    """The minutes of one technical meeting."""

    __tablename__ = "meeting"
    __field_labels__ = {
        "held_on": _l("Date"), "host": _l("Chaired by"), "attendees": _l("Attendees"),
        "discussion": _l("Discussion points"), "decisions": _l("Decisions"),
        "action_items": _l("Action items"), "location": _l("Location"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(sa.String(200), index=True)
    location: Mapped[str | None] = mapped_column(sa.String(100))
    host_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff.id", ondelete="SET NULL"), index=True)
    discussion: Mapped[str] = mapped_column(sa.Text)
    decisions: Mapped[str | None] = mapped_column(sa.Text)

    host: Mapped[Staff | None] = relationship()
    attendees: Mapped[list[Staff]] = relationship(secondary=meeting_attendee, order_by=Staff.employee_no)
    action_items: Mapped[list[ActionItem]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="ActionItem.due_on"
    )

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"

    @property
    def attendee_names(self) -> list[str]:
        """Who attended, by name (the API's show view)."""
        return [s.name for s in self.attendees]

    @property
    def attendee_ids(self) -> list[int]:
        """Who attended, by staff id (the API's show view)."""
        return [s.id for s in self.attendees]


class ActionItem(Timestamped, Validated, db.Model):
    """A task a meeting decided on: what, who, by when, done or not."""

    __tablename__ = "action_item"
    __field_labels__ = {
        "meeting": _l("Meeting"), "owner": _l("Owner"), "due_on": _l("Due date"), "done": _l("Done"),
        "done_on": _l("Done on"),
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(sa.String(500))
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("staff.id", ondelete="RESTRICT"), index=True)
    due_on: Mapped[date] = mapped_column(index=True)
    done: Mapped[bool] = mapped_column(default=False, index=True)
    done_on: Mapped[date | None] = mapped_column()

    meeting: Mapped[Meeting] = relationship(back_populates="action_items")
    owner: Mapped[Staff] = relationship()

    def __str__(self) -> str:
        return self.description

    @property
    def overdue(self) -> bool:
        """Not done and past its due date."""
        return not self.done and self.due_on is not None and self.due_on < clock.today_local()

    def validation_errors(self) -> dict[str, str]:
        errors = {}
        meeting, due = getattr(self, "meeting", None), getattr(self, "due_on", None)
        if meeting is not None and due and meeting.held_on and due < meeting.held_on:
            errors["due_on"] = str(_l("The due date must not be before the meeting."))
        done_on = getattr(self, "done_on", None)
        if done_on and meeting is not None and meeting.held_on and done_on < meeting.held_on:
            errors["done_on"] = str(_l("The done date must not be before the meeting."))
        return errors
