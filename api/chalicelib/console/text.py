"""The console's words: English in the code, marked N_, translated from the API's gettext catalogs
(api/chalicelib/locale, `make messages`), like every other page of the API. `words(lang)["key"]` is the key's text
in `lang`; a language without an API catalog gets English."""

from __future__ import annotations

from collections.abc import Mapping

from ..kernel.messages import N_, NP_, plural, text

# A language's own name, as a link to it says it (never translated: "Français" is written the same for everyone).
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}

WORDS: dict[str, str] = {
    "product": N_("DataCity — staff console"),
    "skip": N_("Skip to content"),
    "sign_in": N_("Sign-in"),
    "sign_in_intro": N_(
        "Paste the staff token you were given (it starts with dcs_). The browser keeps it nowhere: signing in opens a session that ends after 30 minutes without activity."
    ),
    "token": N_("Staff token"),
    "sign_in_button": N_("Sign in"),
    "sign_out": N_("Sign out"),
    "signed_out": N_("You are signed out."),
    "signed_in_as": N_("Signed in: {name}"),
    "programs": N_("Your programs"),
    "no_programs": N_("This token gives access to no program of the catalog."),
    "overview": N_("Where the consultation stands"),
    "window": N_("Participation period: from {opens} to {closes}"),
    "votes": N_("Votes"),
    "challenges": N_("Challenges"),
    "published": N_("Published comments"),
    "queue_pending": N_("Comments to moderate"),
    "queue_reported": N_("Reported comments"),
    "queue_proposals": N_("Proposals to review"),
    "proposals_received": N_("Proposals received"),
    "proposals_approved": N_("Proposals approved"),
    "proposals_rejected": N_("Proposals rejected"),
    "open_queue": N_("Open the queue"),
    "back_program": N_("Back to the program"),
    "back_programs": N_("Back to your programs"),
    "empty_queue": N_("Nothing waits in this queue."),
    "next_page": N_("Next page"),
    "challenge_of": N_("Challenge: {title}"),
    "sent": N_("Sent on {at}"),
    "by": N_("by {name}"),
    "anonymous": N_("no display name"),
    "status": N_("Status: {status}"),
    "reports": N_("Reports: {n}"),
    "report_reason": N_("{reason}: {n}"),
    "decide": N_("Decision"),
    "action": N_("Action"),
    "reason": N_("Reason (required to reject or hide)"),
    "no_reason": N_("— none —"),
    "note": N_("Note for the audit log (optional)"),
    "apply": N_("Apply"),
    "approve": N_("Approve"),
    "reject": N_("Reject"),
    "hide": N_("Hide"),
    "restore": N_("Restore"),
    "done": N_("Done: {action}."),
    "proposal": N_("Proposal"),
    "open_proposal": N_("Read the proposal"),
    "theme": N_("Theme: {theme}"),
    "no_theme": N_("no theme"),
    "has_contact": N_("The proposer left an email address (with their consent)."),
    "no_contact": N_("No email address left (or it has already been deleted)."),
    "reveal": N_("Show the email address"),
    "reveal_note": N_("Each showing is written to the audit log, under your name."),
    "email_is": N_("Proposer's email address: {email}"),
    "audit": N_("Audit log"),
    "downloads": N_("Downloads"),
    "results_json": N_("Results (JSON)"),
    "vote_log_json": N_("Vote log (JSON, after close)"),
    "audit_json": N_("Audit log (JSON)"),
    "at": N_("When"),
    "who": N_("Who"),
    "what": N_("Action"),
    "target": N_("Item"),
    "empty_audit": N_("Nothing is in the log yet."),
    "imports": N_("Import a workshop (CSV)"),
    "import_intro": N_(
        "A UTF-8 CSV file with the header channel,challenge,kind,text,display_name,collected_on. Each problem is shown with its line; nothing is recorded until the file is right."
    ),
    "source": N_("Source (e.g. 'Workshop of 5 January, 11th district town hall')"),
    "file": N_("CSV file"),
    "import_button": N_("Import"),
    "problems": N_("Problems found (nothing was recorded):"),
    "line": N_("line {line}"),
    "imported": N_("Imported: {votes} and {comments}."),  # each a count (COUNTS)
    "error_title": N_("This request did not go through"),
    "again": N_("Go back"),
    "draft_title": N_("The challenge to propose for the site"),
    "draft_intro": N_(
        "The proposal is approved: here is the challenge's draft file, with the resident's text (never their email). It becomes a challenge of the site through a pull request, reviewed like any change of the content."
    ),
    "draft_id": N_("The challenge's id (lowercase letters, digits and hyphens; it becomes the page's address)"),
    "draft_theme": N_("Theme"),
    "draft_sdgs": N_("Sustainable Development Goals (numbers separated by commas; 11 if empty)"),
    "draft_again": N_("Make the draft again"),
    "draft_path": N_("Where the file goes in the repository:"),
    "draft_download": N_("Download {name}"),
    "draft_text": N_("The file's content"),
    "draft_cli": N_(
        "On the command line, 'datacity proposal to-challenge {id}' writes this same file into the repository."
    ),
    "steps_title": N_("Propose the challenge in a pull request, from the browser"),
    "step_download": N_("Download the file {name} with the link above."),
    "step_folder": N_("On GitHub, open the site's repository, then the folder {folder}."),
    "step_upload": N_('Click "Add file", then "Upload files", and drop the file without renaming it.'),
    "step_branch": N_(
        'At the bottom of the page, choose "Create a new branch for this commit and start a pull request", click "Propose changes", then "Create pull request".'
    ),
    "step_checks": N_(
        "In the pull request, the automatic checks say what remains: translate the texts, check themes and goals, delete each TODO: mark. The challenge stays a draft (status: draft) until the team opens it (status: open)."
    ),
    "step_merge": N_("Once the pull request is reviewed and merged, the site is rebuilt with the new challenge."),
    "tokens": N_("Staff tokens"),
    "no_tokens": N_("No token of your programs for this program."),
    "token_programs": N_("The token's programs"),
    "token_id": N_("Id"),
    "rights": N_("Rights"),
    "created": N_("Created on"),
    "state": N_("State"),
    "active": N_("active"),
    "revoked_on": N_("revoked on {at}"),
    "revoke": N_("Revoke"),
    "revoke_confirm": N_("Revoke {name}'s token? Its sessions end at once."),
    "may_manage_tokens": N_("May manage tokens"),
    "new_token": N_("New token"),
    "new_token_intro": N_(
        "The token is shown only once: hand it to the person over a safe channel (not plain email). Only its fingerprint is kept."
    ),
    "token_name_field": N_("The person's name and role (e.g. 'Alice (moderation)')"),
    "create_token": N_("Create the token"),
    "token_created": N_("Token created for {name}"),
    "token_once": N_("Copy it now: it will never be shown again. If it is lost, revoke it and create another."),
    "token_revoked": N_("{name}'s token is revoked; its sessions are closed."),
}


# Counts in the console's words, each in the form CLDR's plural rules give its number in the language.
COUNTS = {"votes": NP_("{n} vote", "{n} votes"), "comments": NP_("{n} comment", "{n} comments")}


def count(lang: str, key: str, n: int) -> str:
    return plural(lang, COUNTS[key], n)


class _Words(Mapping):
    """The words in one language, looked up in its catalog when used."""

    def __init__(self, lang: str):
        self.lang = lang

    def __getitem__(self, key: str) -> str:
        return text(self.lang, WORDS[key])

    def __iter__(self):
        return iter(WORDS)

    def __len__(self) -> int:
        return len(WORDS)


def words(lang: str) -> Mapping[str, str]:
    return _Words(lang)
