"""Offline imports over HTTP (staff)."""

from __future__ import annotations

from ..web.call import call
from ..web.routes import BODY_TYPES, STAFF, Routes

routes = Routes(__name__)


@routes.route("/staff/programs/{program_id}/imports", methods=["POST"], content_types=BODY_TYPES, **STAFF)
def staff_import(program_id):
    this = call()
    actor = this.staff()
    data = this.staff_body(this.settings.import_max_bytes)
    return this.json(this.consultation.imports.import_rows(actor, program_id, data), 201)
