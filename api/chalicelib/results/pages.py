"""A voter's own verification code as a page, and how to find their votes in the published vote log."""

from __future__ import annotations

from html import escape

from ..web.pages import page

TEXT = {
    "fr": {
        "receipt_title": "Votre code de vérification des votes",
        "receipt": [
            "Voici le jeton de participation de ce navigateur. Notez-le et gardez-le pour vous : tant que le cookie est valable, il permet de voter en votre nom.",
            "Le serveur ne le garde pas. S'il est perdu (cookies effacés), personne ne peut le retrouver.",
            "À la clôture, l'équipe publie le journal des votes avec les résultats : une empreinte par vote, calculée à partir de ce code et d'un sel différent pour chaque défi. Avec ce code, vous pouvez y retrouver vos propres votes, et tout le monde peut recompter les résultats avec le script verify_tally.py.",
        ],
        "receipt_command": "Pour retrouver vos votes dans le journal :",
    },
    "en": {
        "receipt_title": "Your vote verification code",
        "receipt": [
            "This is this browser's participation token. Write it down and keep it to yourself: as long as the cookie is valid, it lets anyone vote in your name.",
            "The server does not keep it. If it is lost (cookies cleared), nobody can find it again.",
            "When the consultation closes, the team publishes the vote log with the results: one fingerprint per vote, computed from this code and a different salt for each challenge. With this code you can find your own votes in it, and anyone can recount the results with the verify_tally.py script.",
        ],
        "receipt_command": "To find your votes in the log:",
    },
}


def receipt_page(lang: str, receipt: dict) -> str:
    t = TEXT[lang]
    paragraphs = "".join(f"<p>{escape(text)}</p>" for text in t["receipt"][:2])
    command = f"python3 verify_tally.py vote-log.json --token {receipt['token']}"
    return page(
        lang,
        t["receipt_title"],
        f'<p><code style="font-size:1.25rem;word-break:break-all">{escape(receipt["token"])}</code></p>'
        f"{paragraphs}<p>{escape(t['receipt'][2])}</p>"
        f'<p>{escape(t["receipt_command"])}</p><pre style="white-space:pre-wrap"><code>{escape(command)}</code></pre>',
    )
