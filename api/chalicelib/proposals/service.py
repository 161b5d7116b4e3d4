"""Proposals: check, rate-limit, store (the email encrypted, with its expiry); staff read one in full."""

from __future__ import annotations

from dataclasses import dataclass

from ..identity.rules import Participant, resent, senders
from ..identity.service import Identity
from ..kernel.context import Context
from ..kernel.errors import ApiError
from ..kernel.ids import keyed_id, new_id
from ..kernel.inputs import Fields, check_email, check_item_id
from ..kernel.messages import N_
from ..kernel.storage import AlreadyExists
from ..kernel.views import pick
from ..kernel.windows import require_open
from ..staff_access.rules import Actor, authorize
from ..staff_access.store import AuditEntry
from . import draft, rules
from .store import Contact, Proposal

# A proposal as staff see it in a queue (never its email, nor its author's key).
STAFF_PROPOSAL = ("id", "program", "created_at", "status", "reason", "title", "description", "theme")


@dataclass
class Proposals:
    c: Context
    identity: Identity

    def propose(self, program_id: str, participant: Participant, data: dict, is_form: bool = False) -> dict:
        catalog = self.c.catalog
        program = catalog.require_program(program_id)
        limits = catalog.vocabulary.limits
        fields = Fields(data, {"title", "description", "theme", "email", "consent"}, is_form)
        title = fields.text(
            "title",
            required=True,
            max_chars=limits["proposal_title"],
            label=N_("The title"),
        )
        description = fields.text(
            "description",
            required=True,
            multiline=True,
            max_chars=limits["proposal_description"],
            label=N_("The description"),
        )
        theme = fields.choice("theme", set(catalog.themes), required=False, label=N_("The theme"))
        email = check_email(
            fields.text(
                "email",
                required=False,
                max_chars=limits["email"],
                label=N_("The email address"),
            ),
            limits["email"],
        )
        consent = fields.flag("consent", label=N_("The consent"))
        if email and not consent:
            raise ApiError(
                "invalid-field",
                N_("To leave your email, tick the box that allows the team to contact you."),
                field="consent",
            )
        require_open(program.window, self.c.now(), N_("The consultation"))
        self.identity.limit("proposals", participant)
        # The same proposal sent twice is one proposal (comments/service.py says how).
        key = self.c.keys.hash_key
        by_browser, by_address = senders(participant)
        proposal_id = keyed_id(key, "proposal", by_browser, program.id, title, description)
        kept_until = rules.email_expiry(program, self.c.settings.email_retention_days)
        if by_address is not None:
            earlier_id = keyed_id(key, "proposal", by_address, program.id, title, description)
            earlier = resent(self.c.store.get_proposal(earlier_id), self.c.now())
            if earlier is not None:
                return self._receipt(earlier, program.id, kept_until if earlier.has_contact else None)
        proposal = Proposal(
            id=proposal_id,
            program=program.id,
            title=title,
            description=description,
            theme=theme,
            created_at=self.c.now_iso(),
            author=participant.voter_key,
        )
        contact = Contact(self.c.keys.encrypt(email), int(kept_until.timestamp())) if email else None
        try:
            self.c.store.add_proposal(proposal, contact, {rules.RECEIVED: 1})
        except AlreadyExists:  # sent before: the first one's receipt, as it stands
            proposal = self.c.store.get_proposal(proposal_id) or proposal
            contact = Contact("", 0) if proposal.has_contact else None
        return self._receipt(proposal, program.id, kept_until if contact else None)

    @staticmethod
    def _receipt(proposal: Proposal, program: str, kept_until) -> dict:
        return {
            "proposal": proposal.id,
            "program": program,
            "status": proposal.status,
            "contact_kept_until": kept_until.date().isoformat() if kept_until else None,
        }

    def get(self, actor: Actor, proposal_id: str) -> Proposal:
        """The proposal, for staff who may act on its program: 400, 404 or 403 otherwise."""
        check_item_id(proposal_id, N_("proposal"))
        proposal = self.c.store.get_proposal(proposal_id)
        if proposal is None:
            raise ApiError("not-found", N_("This proposal does not exist."))
        authorize(actor, proposal.program)
        return proposal

    def staff_read(self, actor: Actor, proposal_id: str) -> dict:
        proposal = self.get(actor, proposal_id)
        return {**pick(proposal, STAFF_PROPOSAL), "has_contact": proposal.has_contact}

    def challenge_draft(self, actor: Actor, proposal_id: str, wanted: dict) -> dict:
        """The draft challenge file for an approved proposal, where it goes in the repository, and its id.

        `wanted`: `id`, `theme`, `sdgs` ("6,11") if staff chose them. What `datacity proposal to-challenge` writes
        and the console shows: the same text, from here only (proposals/draft.py).
        """
        proposal = self.staff_read(actor, proposal_id)
        draft.check_approved(proposal["status"])
        catalog = self.c.catalog
        program = catalog.require_program(proposal["program"])
        slug = draft.choose_slug(proposal["title"], wanted.get("id"), set(catalog.challenges))
        theme = draft.choose_theme(proposal.get("theme"), wanted.get("theme"), catalog.themes)
        sdgs = draft.choose_sdgs(wanted.get("sdgs"))
        text = draft.challenge_markdown(
            proposal,
            slug,
            program.languages,
            theme,
            sdgs,
            command=f"datacity proposal to-challenge {proposal['id']}",
        )
        return {
            "proposal": proposal["id"],
            "program": program.id,
            "id": slug,
            "path": f"challenges/{program.id}/{slug}.md",
            "text": text,
        }

    def reveal_email(self, actor: Actor, proposal_id: str) -> str | None:
        """The proposer's email, decrypted, for staff who asked to see it; the showing is recorded in the audit log
        first (no entry, no email). None if there is none, or it has passed its deletion date."""
        proposal = self.get(actor, proposal_id)
        encrypted = (
            self.c.store.get_contact(proposal.id, int(self.c.now().timestamp())) if proposal.has_contact else None
        )
        if encrypted is None:
            return None
        self.c.store.add_audit(
            AuditEntry(
                id=new_id(),
                at=self.c.now_iso(),
                actor_token=actor.token,
                actor_name=actor.name,
                program=proposal.program,
                action="proposal.email-shown",
                target=proposal.id,
            )
        )
        return self.c.keys.decrypt(encrypted)
