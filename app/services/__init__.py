"""Business rules, shared by the HTML views and the APIs."""
