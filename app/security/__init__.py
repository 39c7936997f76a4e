"""Security: the role policy table and the security manager that enforces it."""
