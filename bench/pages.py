"""Page server time at a real department's size: this project beside stock Flask-AppBuilder, same data.

    .venv/bin/python bench/scale.py --fraction 0.1          # once: builds /tmp/scale.db
    .venv/bin/python bench/pages.py [--sqlite /tmp/scale.db | --database-url URL] [--runs 9]
    .venv/bin/python bench/pages.py --profile "ticket list, first page"   # where that page's time goes

Both apps (bench/stock_fab.py for stock FAB) run in this process on the database bench/scale.py
built; every measured request of one app is followed by the same request to the other (the
order alternating), so a busy moment of the shared machine hits both alike. In-process test
clients; median and p95 server time, SQL statements per request, and the ratio project / stock
(below 1: the project is faster). Pages stock FAB has no counterpart for (dashboard, KPI, home
pages, stock card) are timed for the project alone. Dashboard and KPI figures are computed on
every request (FIGURES_CACHE_SECONDS=0: the first request after any save). Nothing is asserted.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from bench.dashboard import _login  # noqa: E402
from bench.scale import PASSWORD, config  # noqa: E402


class Counted:
    """SQL statements sent while a request runs (every engine of the process: one request at a time)."""

    # wall time by default; BENCH_CLOCK=cpu: the process's CPU time, which a loaded shared machine
    # disturbs far less (on SQLite the database works in the process and counts; not on PostgreSQL)
    clock = time.process_time if os.environ.get("BENCH_CLOCK") == "cpu" else time.perf_counter

    def __init__(self):
        self.n = 0
        sa.event.listen(sa.engine.Engine, "before_cursor_execute", self._note)

    def _note(self, *_args):
        self.n += 1

    def time(self, client, url: str) -> tuple[float, int, int]:
        headers = getattr(client, "api_headers", {}) if url.startswith("/api/") else {}
        self.n = 0
        start = self.clock()
        resp = client.get(url, headers=headers)
        return (self.clock() - start) * 1000, self.n, resp.status_code


def figures(project_app, facts: dict) -> list[tuple[str, str, bool]]:
    """(label, URL, stock FAB has it too) for every page measured."""
    from app.charts import CHARTS

    mv, tk = "StockMovementView", "TicketView"
    pages = [("movement list, first page", "/stockmovementview/list/", True)]
    pages += [(f"movement list, sort {col}", f"/stockmovementview/list/?_oc_{mv}={col}&_od_{mv}=asc", True)
              for col in facts["movement_sorts"]]
    pages += [("movement list, filter part", f"/stockmovementview/list/?{facts['part_filter']}={facts['part']}", True),
              (f"movement list, page {facts['movement_deep']}",
               f"/stockmovementview/list/?page_{mv}={facts['movement_deep']}", True),
              ("ticket list, first page", "/ticketview/list/", True),
              ("ticket list, status in_progress", f"/ticketview/list/?{facts['status_filter']}=in_progress", True)]
    pages += [(f"ticket list, sort {col}", f"/ticketview/list/?_oc_{tk}={col}&_od_{tk}=asc", True)
              for col in facts["ticket_sorts"]]
    deep = facts["ticket_deep"]
    pages += [(f"ticket list, page {deep}", f"/ticketview/list/?page_{tk}={deep}", True),
              ("API stock_movement, 100 rows", "/api/v1/stock_movement/?q=(page_size:100)", True),
              ("API ticket, 100 rows", "/api/v1/ticket/?q=(page_size:100)", True),
              ("dashboard page", "/dashboard/", False)]
    pages += [(f"chart {name}", f"/api/v1/chart/{name}", False) for name in CHARTS]
    for days, label in ((30, "30 days"), (365, "one year")):
        span = f"from={facts['today'] - timedelta(days=days - 1)}&to={facts['today']}"
        pages += [(f"KPI page, {label}", f"/kpi/?{span}", False),
                  (f"KPI API, {label}", f"/api/v1/kpi/summary?{span}", False)]
    pages.append(("stock card, busiest part", f"/stock/card/{facts['part']}", False))
    return pages


def _filter_arg(app, view_name: str, column: str) -> str:
    """`_flt_<i>_<column>` of the view's "equal to" filter on that column (each app numbers its own)."""
    view = next(v for v in app.appbuilder.baseviews if type(v).__name__ == view_name)
    filters = view._filters.get_search_filters()[column]
    names = [type(f).__name__ for f in filters]
    index = next(i for i, n in enumerate(names) if ("Equal" in n or n.endswith("Is")) and "Not" not in n)
    return f"_flt_{index}_{column}"


def facts_of(project_app, stock_app) -> dict:
    from app import clock
    from app.extensions import db
    from app.views.stock import StockMovementView
    from app.views.tickets import TicketView

    with project_app.app_context():
        q = lambda sql: db.session.scalar(sa.text(sql))  # noqa: E731
        facts = {
            "part": q("SELECT part_id FROM stock_movement GROUP BY part_id ORDER BY count(*) DESC LIMIT 1"),
            "movement_deep": max(1, q("SELECT count(*) FROM stock_movement") // 25 // 2),
            "ticket_deep": max(1, q("SELECT count(*) FROM ticket") // 25 // 2),
            "movement_sorts": list(StockMovementView.order_columns),
            "ticket_sorts": list(TicketView.order_columns),
            "today": clock.today_local(),
        }
    for name, app in (("project", project_app), ("stock", stock_app)):
        with app.app_context():
            facts[name] = {"part_filter": _filter_arg(app, "StockMovementView", "part_id"),
                           "status_filter": _filter_arg(app, "TicketView", "status")}
    return facts


def _add_next_pages(clients: dict, pages_of: dict) -> None:
    """After each deep page, the page its pager's "next" link opens (a clerk paging on): the
    project's link carries where that page starts (keyset); stock FAB's gives the page number."""
    for i, (label, _url, _both) in enumerate(list(pages_of["project"])):
        if ", page " not in label:
            continue
        links = {}
        for name in ("project", "stock"):
            html = clients[name].get(pages_of[name][i][1]).get_data(as_text=True)
            found = re.search(r'<a href="([^"]+)">&gt;</a>', html)
            links[name] = found.group(1).replace("&amp;", "&") if found else None
        if all(links.values()):
            number = int(label.rsplit(" ", 1)[1]) + 1
            for name in ("project", "stock"):
                pages_of[name].append((f"{label.rsplit(',', 1)[0]}, page {number} by next", links[name], True))


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]


def measure(clients: dict, pages_of: dict, runs: int) -> list[tuple]:
    counter = Counted()
    results = []
    for i, (label, url, both) in enumerate(pages_of["project"]):
        apps = ["project", "stock"] if both else ["project"]
        urls = {"project": url, "stock": pages_of["stock"][i][1]}
        times = {name: [] for name in apps}
        sql, status = {}, {}
        for name in apps:  # warm-up: templates compiled, statement cache filled
            counter.time(clients[name], urls[name])
        for r in range(runs):
            for name in (apps if r % 2 == 0 else apps[::-1]):
                ms, sql[name], status[name] = counter.time(clients[name], urls[name])
                times[name].append(ms)
        row = [label] + [(statistics.median(times[n]), _p95(times[n]), sql[n], status[n]) if n in times else None
                         for n in ("project", "stock")]
        results.append(row)
        _print_row(row)
    return results


def _print_row(row) -> None:
    label, ours, stock = row
    text = f"{label:<38}{ours[0]:>9.1f}{ours[1]:>8.1f}{ours[2]:>5}{ours[3]:>5}"
    if stock:
        text += f"{stock[0]:>10.1f}{stock[1]:>8.1f}{stock[2]:>5}{stock[3]:>5}{ours[0] / stock[0]:>8.2f}"
    print(text, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--sqlite", default="/tmp/scale.db")
    where.add_argument("--database-url")
    parser.add_argument("--runs", type=int, default=9, help="measured requests per page and app")
    parser.add_argument("--only", help="measure only the pages whose label contains this")
    parser.add_argument("--profile", help="cProfile the project's page with exactly this label instead")
    parser.add_argument("--stock", action="store_true", help="with --profile: profile stock FAB's page")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(args.sqlite).resolve()}"

    from app import create_app
    from bench.stock_fab import STOCK_ADMIN, create_stock_app

    project_app = create_app(config(url))
    project_app.config["FIGURES_CACHE_SECONDS"] = 0
    stock_app = create_stock_app(url, PASSWORD)
    facts = facts_of(project_app, stock_app)
    pages_of = {name: figures(project_app, {**facts, **facts[name]}) for name in ("project", "stock")}
    clients = {"project": project_app.test_client(), "stock": stock_app.test_client()}
    _login(clients["project"], "manager", PASSWORD)  # the department role that reads every list
    _login(clients["stock"], STOCK_ADMIN, PASSWORD)
    for client, login in ((clients["project"], "manager"), (clients["stock"], STOCK_ADMIN)):
        token = client.post("/api/v1/security/login", json={"username": login, "password": PASSWORD,
                                                             "provider": "db"}).json["access_token"]
        client.api_headers = {"Authorization": f"Bearer {token}"}
    _add_next_pages(clients, pages_of)
    if args.profile:
        return profile(clients["stock" if args.stock else "project"],
                       dict((lbl, u) for lbl, u, _b in pages_of["stock" if args.stock else "project"])[args.profile])
    if args.only:
        pages_of = {n: [p for p in pages if args.only in p[0]] for n, pages in pages_of.items()}
    dialect = sa.engine.make_url(url).get_backend_name()
    clock = "CPU time" if Counted.clock is time.process_time else "server time"
    print(f"{dialect}, {args.runs} runs per page and app, interleaved; ms = {clock} in process; "
          f"filters: project {facts['project']}, stock {facts['stock']}")
    print(f"{'page':<38}{'ours ms':>9}{'p95':>8}{'SQL':>5}{'HTTP':>5}{'stock ms':>10}{'p95':>8}{'SQL':>5}"
          f"{'HTTP':>5}{'ratio':>8}")
    measure(clients, pages_of, args.runs)
    counter = Counted()
    print("role home pages (project only):")
    for login in ("manager", "tech", "field1", "cs", "keeper"):
        client = project_app.test_client()
        _login(client, login, PASSWORD)
        counter.time(client, "/")
        runs = [counter.time(client, "/") for _ in range(args.runs)]
        ms = [r[0] for r in runs]
        _print_row((f"/ as {login}", (statistics.median(ms), _p95(ms), runs[-1][1], runs[-1][2]), None))


def profile(client, url: str) -> None:
    """Cumulative and own time of the top functions over 5 requests; each SQL statement of one request, timed."""
    headers = getattr(client, "api_headers", {}) if url.startswith("/api/") else {}  # as Counted.time sends
    client.get(url, headers=headers)
    statements, started = [], []
    before = lambda *_a: started.append(time.perf_counter())  # noqa: E731
    after = lambda _c, _cur, stmt, *_a: statements.append(((time.perf_counter() - started.pop()) * 1000, stmt))  # noqa: E731
    sa.event.listen(sa.engine.Engine, "before_cursor_execute", before)
    sa.event.listen(sa.engine.Engine, "after_cursor_execute", after)
    start = time.perf_counter()
    client.get(url, headers=headers)
    total = (time.perf_counter() - start) * 1000
    sa.event.remove(sa.engine.Engine, "before_cursor_execute", before)
    sa.event.remove(sa.engine.Engine, "after_cursor_execute", after)
    if os.environ.get("PROFILER") == "sampling":  # pyinstrument (not in the lock: pip install --target, PYTHONPATH)
        import pyinstrument

        sampler = pyinstrument.Profiler(interval=0.0002)
        with sampler:
            for _ in range(50):
                client.get(url, headers=headers)
        print(sampler.output_text(show_all=False, color=False, flat=os.environ.get("FLAT") == "1"))
        return
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(5):
        client.get(url, headers=headers)
    prof.disable()
    pstats.Stats(prof).sort_stats("cumulative").print_stats(40)
    pstats.Stats(prof).sort_stats("tottime").print_stats(15)
    if os.environ.get("PROFILE_CALLERS"):
        pstats.Stats(prof).sort_stats("tottime").print_callers(os.environ["PROFILE_CALLERS"])
    print(f"one request: {total:.1f} ms, of which SQL {sum(ms for ms, _s in statements):.1f} ms")
    for n, (ms, stmt) in enumerate(statements, 1):
        text = " ".join(stmt.split())
        print(f"--- SQL {n}: {ms:.1f} ms\n{text if len(text) < 700 else text[:300] + ' … ' + text[-400:]}")


if __name__ == "__main__":
    main()
