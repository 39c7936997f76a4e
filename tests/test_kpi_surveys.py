"""The KPI's survey counts: either way round (surveys first, or the period's tickets first) the same."""
from datetime import date

from app import clock
from app.services import kpi
from tests.test_kpi import october  # noqa: F401  (the fixture: 4 surveys, 2 of them in October)


def test_both_join_orders_count_the_same_surveys(app, october):  # noqa: F811
    with app.app_context():
        lo, hi = clock.local_day_bounds(date(2026, 10, 1), date(2026, 10, 31))
        # 4 surveys in all: "6 tickets in the period" looks each survey's ticket up, "1" walks the tickets
        assert kpi._survey_counts(lo, hi, 6) == kpi._survey_counts(lo, hi, 1) == (2, 1)
        assert kpi._survey_counts(lo, hi, 0) == (0, 0)
        before_october = clock.local_day_bounds(date(2026, 9, 30), date(2026, 9, 30))
        assert kpi._survey_counts(*before_october, 6) == kpi._survey_counts(*before_october, 1) == (1, 0)
