"""Attachments on screens and in the API: upload, gallery, download, removal (a Manager's)."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, send_file, url_for
from flask_appbuilder.models.filters import BaseFilter
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from .. import clock
from ..attachments import service, storage
from ..models import Attachment
from ..models.base import DomainError
from ..unit_of_work import unit_of_work
from .endpoints import api_action, screen_action
from .register_spec import Register, build

UPLOAD_SLACK = 1024 * 1024  # room for the multipart envelope and form fields around the file
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf"}


class VisibleAttachments(BaseFilter):
    """Only the attachments of records the current user may see (the records' own row rules)."""

    name = "Visible attachments"
    arg_name = None

    def apply(self, query, value):
        return query.filter(service.visible_clause())


VISIBLE = [["id", VisibleAttachments, None]]


def _limit_request() -> None:
    """Refuse a body over ATTACHMENT_MAX_MB before reading it (413)."""
    limit = service.max_bytes() + UPLOAD_SLACK
    if request.content_length is not None and request.content_length > limit:
        raise service.too_large()
    request.max_content_length = limit


def _files() -> list:
    try:
        return [f for f in request.files.getlist("file") if f and f.filename]
    except RequestEntityTooLarge as err:
        raise service.too_large() from err


def _read(upload) -> bytes:
    data = upload.read(service.max_bytes() + 1)
    if len(data) > service.max_bytes():
        raise service.too_large()
    return data


def send_attachment(item: Attachment, thumbnail: bool = False):
    """The stored bytes with their checked type; photos and PDFs open in the browser, others download."""
    path = storage.thumb_path_of(item.sha256) if thumbnail else storage.path_of(item.sha256)
    if not path.exists():
        abort(404)
    mimetype = "image/jpeg" if thumbnail else item.content_type
    response = send_file(path, mimetype=mimetype, as_attachment=not thumbnail and item.content_type not in INLINE_TYPES,
                         download_name=item.filename, etag=item.sha256 + ("-t" if thumbnail else ""),
                         max_age=3600, conditional=True)
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def gallery(record_type: str, record_id) -> dict | None:
    """What the gallery of a record's page shows (None when the user may not see attachments there)."""
    sm = current_app.appbuilder.sm
    if not sm.has_access("can_list", "AttachmentView") or service.find_record(record_type, record_id) is None:
        return None
    return {
        "record": record_type, "record_id": int(record_id),
        "items": service.attachments_of(record_type, int(record_id)),
        "can_upload": sm.has_access("can_upload", "AttachmentView"),
        "can_remove": sm.has_access("can_delete", "AttachmentView"),
        "max_mb": f"{float(current_app.config.get('ATTACHMENT_MAX_MB', 20)):g}",
        "format_datetime": clock.format_datetime,
    }


def _safe_next(default: str) -> str:
    target = request.form.get("next") or request.args.get("next") or ""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else default


class Removal:
    """A Manager removes an attachment; its file goes when no other attachment shares it."""

    def pre_delete(self, item):
        service.check_removal(item)

    def post_delete(self, item):
        service.discard_unused(item.sha256)


class AttachmentDesk(Removal):
    """Every attachment the user may see; a Manager removes one here or from the record's gallery."""

    @screen_action("/upload", "upload")
    def upload(self):
        """The gallery's form: one or more photos / files for one record, back to its page."""
        record, record_id = request.form.get("record", ""), request.form.get("record_id", "")
        back = _safe_next(url_for("AttachmentView.list"))
        try:
            with unit_of_work():
                _limit_request()
                files = _files()
                if not files:
                    raise DomainError({"file": _("Choose a photo or a file first.")})
                for upload in files:
                    service.add(record, record_id, upload.filename, _read(upload), request.form.get("caption"))
            flash(_("%(n)s file(s) attached.", n=len(files)), "success")
        except DomainError as err:
            if err.status == 404:
                abort(404)
            flash(str(err), "danger")
        return redirect(back, code=303)

    @screen_action("/file/<int:pk>", "show", methods=["GET"])
    def file(self, pk):
        item = self.datamodel.get(pk, self._base_filters) or abort(404)
        return send_attachment(item)

    @screen_action("/thumb/<int:pk>", "show", methods=["GET"])
    def thumb(self, pk):
        item = self.datamodel.get(pk, self._base_filters) or abort(404)
        if not storage.thumb_path_of(item.sha256).exists():
            return send_attachment(item)  # a signature or a photo stored before thumbnails: the file
        return send_attachment(item, thumbnail=True)


class AttachmentCalls(Removal):
    """`POST /api/v1/attachment/` (multipart record, record_id, file) → 201; list; `/<id>/file`."""

    def post_headless(self):
        if request.mimetype != "multipart/form-data":
            return self.response_400(message=_("Send the file as multipart/form-data: record, record_id, file."))
        try:
            with unit_of_work():
                _limit_request()
                files = _files()
                if len(files) != 1:
                    raise DomainError({"file": _("Send exactly one file.")}, 400)
                form = request.form
                item = service.add(form.get("record", ""), form.get("record_id"), files[0].filename,
                                   _read(files[0]), form.get("caption"))
        except DomainError as err:
            return self.response(err.status, message=err.errors)
        return self.response(201, id=item.id, filename=item.filename, content_type=item.content_type,
                             size=item.size, sha256=item.sha256)

    @api_action("/<int:pk>/file", "get", methods=["GET"])
    def file(self, pk):
        """Download an attachment the caller may see.
        ---
        get:
          responses:
            200: {description: The file}
            404: {description: Not found or not visible}
        """
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            return self.response_404()
        return send_attachment(item)


API_COLUMNS = ["id", "record_type", "record_id", "kind", "filename", "content_type", "size", "sha256",
               "width", "height", "caption", "uploaded_at", "uploaded_by_id"]


FILTERS = ["record_type", "record_id", "kind", "filename", "content_type", "sha256", "uploaded_at"]
ATTACHMENT = Register(
    Attachment, "attachment", form=(), api_form=["caption"], base_order=("uploaded_at", "desc"), base_filters=VISIBLE,
    list=["uploaded_at", "record_label", "kind", "filename", "content_type", "size", "uploader_name"],
    show=["record_label", "kind", "filename", "content_type", "size", "sha256", "width", "height", "caption",
          "uploaded_at", "uploader_name"],
    search=FILTERS, order=["uploaded_at", "filename", "size"],
    api_list=API_COLUMNS, api_search=FILTERS, api_order=["uploaded_at", "id", "filename", "size"],
    screen={"base_permissions": ["can_list", "can_show", "can_export", "can_delete", "can_upload"]},
    screen_mixins=(AttachmentDesk,), api_mixins=(AttachmentCalls,),
)
AttachmentView, AttachmentApi = build(ATTACHMENT)
