"""Screens and API of department staff."""

from ..models import Staff
from .base import ServiceModelView
from .interface import ServiceInterface
from .service_api import ServiceApi


class StaffView(ServiceModelView):
    datamodel = ServiceInterface(Staff)
    list_columns = ["employee_no", "name", "position", "region", "phone_24h", "user", "active"]
    search_columns = ["employee_no", "name", "position", "region", "active"]
    add_columns = edit_columns = [
        "employee_no", "name", "position", "user", "region", "phone_24h", "email", "skills", "active",
    ]
    base_order = ("employee_no", "asc")


class StaffApi(ServiceApi):
    resource_name = "staff"
    datamodel = ServiceInterface(Staff)
    list_columns = [
        "id", "employee_no", "name", "position", "username", "region", "phone_24h", "email", "active",
    ]
    show_columns = list_columns + ["skills"]
    add_columns = edit_columns = [
        "employee_no", "name", "position", "user", "region", "phone_24h", "email", "skills", "active",
    ]
    search_columns = ["employee_no", "name", "position", "region", "active"]
    order_columns = ["employee_no", "name", "position", "region"]
    base_order = ("employee_no", "asc")
