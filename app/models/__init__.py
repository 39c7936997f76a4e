"""Every model module, imported so that db.metadata knows all tables."""
from .customers import Contact, Customer, Equipment, Importance, Project  # noqa: F401
from .staff import Position, Staff  # noqa: F401
from .tickets import Category, Channel, HandlingMode, Severity, Ticket, TicketStatus  # noqa: F401
from .audit import AuditAction, AuditLog  # noqa: F401
from .sessions import LoginSession  # noqa: F401
