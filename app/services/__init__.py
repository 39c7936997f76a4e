"""Business rules, one module per area, used by both the HTML views and the API."""
