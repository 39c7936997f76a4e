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


def _register_screens():
    """Every register screen of the app: the classes `build` made in a module of app/views."""
    import importlib
    import pkgutil

    import app.views

    screens = []
    for info in sorted(pkgutil.iter_modules(app.views.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"app.views.{info.name}")
        screens += [obj for obj in vars(module).values()
                    if isinstance(obj, type) and "spec_api" in vars(obj) and obj.__module__ == module.__name__]
    return screens


def test_a_register_is_named_once_by_its_menu_entry_which_brings_its_api(app):
    """A register is named in one place outside its own module: its MENU (or NO_MENU) entry; its API
    comes with it, never from a line of APIS."""
    from app.security.policy import APIS, MENU, NO_MENU

    entries = [item.view for category in MENU for item in category.items if item.href is None] + list(NO_MENU)
    registered = {type(v).__name__ for v in app.appbuilder.baseviews}
    screens = _register_screens()
    assert len(screens) >= 48
    for screen in screens:
        ref = f"{screen.__module__.removeprefix('app.views.')}:{screen.__name__}"
        api = screen.spec_api
        assert entries.count(ref) == 1, ref
        assert screen.__name__ in registered and api.__name__ in registered, ref
        assert f"{api.__module__.removeprefix('app.views.')}:{api.__name__}" not in APIS, api.__name__


def test_a_new_register_needs_its_module_and_one_menu_entry(db_url, monkeypatch):
    """A register declared in a module no list names, plus one Item in MENU: its screen is in the
    menu and its API is registered, with nothing else written."""
    import sys
    import types

    from app import create_app
    from app.security.policy import Category, Item
    from app.views import menu
    from tests.conftest import make_config

    module = types.ModuleType("app.views.probe_register")
    module.ProbeView, module.ProbeApi = build(
        Register(Warehouse, "probe", form=["code", "name"], list=["code"], search=["code"], api_list=["id", "code"],
                 api_search=["code"], api_order=["code"], base_order=("code", "asc"), name="Probe"),
        module=module.__name__)
    monkeypatch.setitem(sys.modules, module.__name__, module)
    first, *rest = menu.MENU
    probe = Item("Probes", "Probes", "probe_register:ProbeView", "fa-flask")
    monkeypatch.setattr(menu, "MENU", (Category(first.name, first.label, (*first.items, probe)), *rest))

    other = create_app(make_config(db_url, FAB_UPDATE_PERMS=False))
    names = [type(v).__name__ for v in other.appbuilder.baseviews]
    assert names.count("ProbeView") == names.count("ProbeApi") == 1
    entries = {item.name: item for c in other.appbuilder.menu.get_list() if c.name == first.name for item in c.childs}
    assert type(entries["Probes"].baseview).__name__ == "ProbeView"
    assert {"/probeview/list/", "/api/v1/probe/"} <= {rule.rule for rule in other.url_map.iter_rules()}
    assert other.appbuilder.sm.menu_views["Probes"] == {"ProbeView"}
