"""Part 2 of every screen's list page costing a few statements (statement_sweep.py): a file of
its own, so that pytest-xdist's workers share the sweep."""
from tests.statement_sweep import every_list_page_costs_a_few_statements


def test_every_list_page_costs_a_few_statements_whatever_its_size_sort_or_depth(demo):
    every_list_page_costs_a_few_statements(demo, part=1)
