from tests.test_kpi import october, add  # noqa
import sqlalchemy as sa
from app.extensions import db
from app.models.kpi_figures import TicketFiguresHour
def test_dbg(app, october):
    with app.app_context():
        for r in db.session.scalars(sa.select(TicketFiguresHour)):
            print({c: getattr(r, c) for c in ("hour_start","tickets","closed","responded","response_minutes","surveys")})
        print(db.session.execute(sa.text("select hour_start, tickets, closed from ticket_figures_hour")).all())
