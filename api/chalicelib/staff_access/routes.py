"""The audit log over HTTP (staff)."""

from __future__ import annotations

from ..web.call import call
from ..web.routes import STAFF, Routes

routes = Routes(__name__)


@routes.route("/staff/programs/{program_id}/audit", methods=["GET"], **STAFF)
def staff_audit(program_id):
    this = call()
    actor = this.staff()
    return this.json(this.consultation.staff.audit(actor, program_id, this.query("cursor")))
