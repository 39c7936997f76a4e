"""The role names other programs rely on (../shared/API.md)."""
ADMIN = "Admin"
MANAGER = "Manager"
TECH = "Tech Engineer"
FIELD = "Field Engineer"
CS = "Customer Service"
KEEPER = "Parts Keeper"

DEPARTMENT_ROLES = (MANAGER, TECH, FIELD, CS, KEEPER)
