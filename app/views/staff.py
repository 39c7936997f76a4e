"""Screens and API of department staff."""

from ..models import Staff
from .register_spec import Register, build

STAFF = Register(
    Staff, "staff", base_order=("employee_no", "asc"),
    form=["employee_no", "name", "position", "user", "region", "phone_24h", "email", "skills", "active"],
    list=["employee_no", "name", "position", "region", "phone_24h", "user", "active"],
    search=["employee_no", "name", "position", "region", "active"],
    api_list=["id", "employee_no", "name", "position", "username", "region", "phone_24h", "email", "active"],
    api_show=["skills"], api_search=["employee_no", "name", "position", "region", "active"],
    api_order=["employee_no", "name", "position", "region"],
)
StaffView, StaffApi = build(STAFF)
