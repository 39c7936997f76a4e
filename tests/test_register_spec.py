"""The Register spec (app/views/register_spec.py): one declaration gives a register's screen and API,
with one rule and one save hook for both."""
import pytest

from app.models.base import DomainError
from app.models.parts import Warehouse
from app.views.register_spec import Register, SpecApi, SpecView, build


def _probe(**kwargs):
    seen = []

    def rules(values, pk):
        seen.append(("rules", values, pk))
        return {"code": "taken"} if values == "bad" else {}

    spec = Register(Warehouse, "probe", form=["code", "name"], list=["code"], search=["code"], api_list=["id", "code"],
                    api_show=["name"], api_search=["code"], api_order=["code"], base_order=("code", "asc"),
                    rules=rules, prepare=lambda item: seen.append(("prepare", item)), name="Probe", **kwargs)
    view_cls, api_cls = build(spec)
    # the hooks read only the spec: no app needed to call them
    return view_cls.__new__(view_cls), api_cls.__new__(api_cls), seen


def test_the_classes_have_the_names_the_policy_knows_and_the_declared_columns():
    view, api, _seen = _probe()
    assert (type(view).__name__, type(api).__name__) == ("ProbeView", "ProbeApi")
    assert type(view).__module__ == type(api).__module__ == __name__  # the module that built them
    assert (view.add_columns, view.edit_columns, view.list_columns) == (["code", "name"], ["code", "name"], ["code"])
    assert api.resource_name == "probe" and api.show_columns == ["id", "code", "name"]
    assert api.add_columns == ["code", "name"] and api.order_columns == ["code"]


def test_one_rule_checks_the_form_and_the_api():
    view, api, seen = _probe()
    assert view.form_rules("bad", 7) == {"code": "taken"} == api.item_rules("bad", None)
    assert seen == [("rules", "bad", 7), ("rules", "bad", None)]
    with pytest.raises(DomainError) as err:
        api._check("bad", None)
    assert err.value.status == 422


def test_a_conflict_field_makes_the_api_answer_409():
    _view, api, _seen = _probe(conflict_fields=("code",))
    with pytest.raises(DomainError) as err:
        api._check("bad", None)
    assert err.value.status == 409


def test_one_prepare_runs_before_every_save_on_both_sides():
    view, api, seen = _probe()
    view.pre_add("added")
    view.pre_update("edited")
    api._check("posted", None)
    assert [s for s in seen if s[0] == "prepare"] == [("prepare", "added"), ("prepare", "edited"), ("prepare", "posted")]


def test_every_register_of_the_app_is_registered_under_its_spec(app):
    views = {type(v).__name__: v for v in app.appbuilder.baseviews}
    built = [v for v in views.values() if isinstance(v, SpecView | SpecApi)]
    assert len(built) > 50
    for v in built:
        stem = v.spec.name or v.spec.model.__name__
        assert isinstance(views[f"{stem}View"], SpecView) and isinstance(views[f"{stem}Api"], SpecApi), stem
        assert views[f"{stem}Api"].resource_name == v.spec.resource_name
        assert v.datamodel.obj is v.spec.model
