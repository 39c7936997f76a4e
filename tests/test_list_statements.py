"""Every list of the app — each screen's list page (statement_sweep.py, its first part) and each
API's list — costs a few SQL statements on the demo department, whatever its page size, sort or
page."""
from __future__ import annotations

from tests.conftest import api_headers
from tests.shards import mine
from tests.statement_sweep import MAX_STATEMENTS, api_lists, counted, every_list_page_costs_a_few_statements, show


def test_every_list_page_costs_a_few_statements_whatever_its_size_sort_or_depth(demo):
    every_list_page_costs_a_few_statements(demo, part=0)


def test_every_api_list_costs_a_few_statements_whatever_its_size_sort_or_depth(demo):
    client = demo.test_client()
    headers = api_headers(client, "admin")
    lists = api_lists(demo)
    assert len(lists) > 40, [name for name, _, _ in lists]
    for name, url, sorts in lists:
        small, _ = counted(demo, client, f"{url}?q=(page_size:10)", headers=headers)
        big, statements = counted(demo, client, f"{url}?q=(page_size:100)", headers=headers)
        assert small == big, (name, small, big, show(statements))
        assert big <= MAX_STATEMENTS, (name, big, show(statements))
        deep, statements = counted(demo, client, f"{url}?q=(page:3,page_size:10)", headers=headers)
        assert deep <= MAX_STATEMENTS, (name, "page 3", deep, show(statements))
        for column in mine(sorts):  # CI: half the sorts on each database (tests/shards.py)
            for direction in ("asc", "desc"):
                n, statements = counted(demo, client, f"{url}?q=(order_column:{column},order_direction:{direction})",
                                         headers=headers)
                assert n <= MAX_STATEMENTS, (name, column, direction, n, show(statements))
