from app.models import StockBalance
from tests.factories import make_record

def test_probe(app, client, api):
    for v in app.appbuilder.baseviews:
        if type(v).__name__ in ("TrainingAttendanceApi", "UpgradeRequestApi"):
            f = v.edit_model_schema.fields
            print("PROBE", type(v).__name__, {k: x.allow_none for k, x in f.items() if k in ("result","feasibility","priority")})
    with app.app_context():
        make_record("stock_balance", StockBalance)
    import flask_appbuilder.api as fa, traceback
    fa.log.exception = lambda e: traceback.print_exc()
    r = client.get("/api/v1/stock_balance/", headers=api("admin"))
    print("PROBE", r.status_code, r.get_data(as_text=True)[:300])
