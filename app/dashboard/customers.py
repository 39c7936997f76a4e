"""Customer charts: where our customers are and how important they are."""
from flask_babel import lazy_gettext as _l

from ..charts import Chart
from ..models import Customer
from . import add_chart

# No explicit permission: whoever may read customers may see these.
add_chart(Chart("customers_by_region", Customer, _l("Customers by region and importance"),
                dimension="region", series="importance", stack=True), section="customers", width=8)
add_chart(Chart("customers_by_importance", Customer, _l("Customers by importance"),
                dimension="importance", kind="pie"), section="customers", width=4)
