"""A record's paper form as an .xlsx: `/<view>/form/<pk>.xlsx`, one click from its show page."""
from __future__ import annotations

import re
import tempfile

from flask import abort, send_file, url_for
from flask_appbuilder.widgets import ShowWidget
from flask_babel import lazy_gettext as _l

from .endpoints import screen_action
from .export import XLSX


class PaperFormShowWidget(ShowWidget):
    """FAB's show widget with a button for the record's paper form, when the view has one."""

    template = "export/show_widget.html"


class PaperFormView:
    """Mixed into ServiceModelView. A view with a paper form sets `paper_form = write_fn`,
    where `write_fn(target, item)` writes the workbook (see app/services/xlsx_forms.py)."""

    paper_form = None  # a plain function (target, item) -> None
    paper_form_label = _l("Print form (Excel)")
    show_widget = PaperFormShowWidget

    def show_links(self, pk) -> list[dict]:
        """More buttons beside the paper form: [{"label", "url", "icon", "css"}] (print view, labels …)."""
        return []

    def _get_show_widget(self, pk, item, widgets=None, actions=None, show_fieldsets=None):
        widgets = super()._get_show_widget(pk, item, widgets, actions, show_fieldsets)
        widgets["show"].template_args["show_links"] = self.show_links(pk)
        if type(self).paper_form is not None:
            widgets["show"].template_args.update(
                paper_form_url=url_for(f"{type(self).__name__}.form_xlsx", pk=pk),
                paper_form_label=self.paper_form_label,
            )
        return widgets

    @screen_action("/form/<pk>.xlsx", "show", methods=["GET"])
    def form_xlsx(self, pk):
        """The record's paper form; whoever may see the record (row rules apply) may print it."""
        write = type(self).paper_form  # read off the class: a plain function, not a bound method
        if write is None:
            abort(404)
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            abort(404)
        fh = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
        write(fh, item)
        fh.seek(0)
        name = re.sub(r"(?<!^)(?=[A-Z])", "_", self.datamodel.obj.__name__).lower()
        return send_file(fh, mimetype=XLSX, as_attachment=True, download_name=f"{name}-{pk}.xlsx")
