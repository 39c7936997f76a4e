"""Permission checks cost one query per request, not one per menu item (Admin's roles live in the database)."""
from app.extensions import db
from tests.conftest import count_queries


def _permission_queries(client, app, url: str) -> tuple[int, int]:
    client.get(url)  # warm up: the session's user and roles
    with app.app_context(), count_queries(db.engine) as statements:
        assert client.get(url).status_code == 200, url
    return sum("ab_permission_view_role" in s for s in statements), len(statements)


def test_admin_pages_read_their_permissions_once(app, as_user):
    web = as_user("admin")
    for url in ("/", "/ticketview/list/", "/users/list/"):
        checks, total = _permission_queries(web, app, url)
        assert checks <= 1, (url, checks, total)


def test_a_role_made_on_the_roles_screen_gets_exactly_its_permissions(app, client):
    """A database role (not in the policy table) is checked from its one-query set: granted pairs
    open, everything else is refused."""
    from tests.conftest import PASSWORD, login

    with app.app_context():
        sm = app.appbuilder.sm
        role = sm.find_role("Ticket readers") or sm.add_role("Ticket readers")
        role.permissions = [sm.find_permission_view_menu("can_list", "TicketView"),
                            sm.find_permission_view_menu("menu_access", "Tickets")]
        role.permissions = [p for p in role.permissions if p is not None]
        sm.add_user("reader", "reader", "Test", "reader@test.invalid", role, PASSWORD)
        db.session.commit()
    try:
        assert login(client, "reader").status_code == 302
        assert client.get("/ticketview/list/").status_code == 200
        assert client.get("/users/list/").status_code == 403
        assert client.get("/ticketview/add").status_code == 403
    finally:
        with app.app_context():
            sm = app.appbuilder.sm
            role = sm.find_role("Ticket readers")
            sm.find_user(username="reader").roles = []
            role.permissions = []
            db.session.commit()
            db.session.delete(role)
            db.session.commit()
