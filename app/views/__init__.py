"""Registers every screen and API with AppBuilder: the dashboard and the API document first, then
the department's menu table (MENU in app/security/policy.py, registered by app/views/menu.py)."""


def register_views(appbuilder) -> None:
    """Every view and API of the app, in menu order."""
    from .dashboard import register_dashboard
    from .menu import register_menu
    from .openapi import register as register_openapi

    register_dashboard(appbuilder)  # first: the top-level Dashboard menu item
    register_openapi(appbuilder)  # the repaired OpenAPI document and Swagger UI
    register_menu(appbuilder)
