"""Glossary terms one can focus (issue #15), and never an element one can focus inside a link."""

from site_builder.pages.glossary import focusable_terms


def test_a_term_becomes_focusable_with_its_definition_as_description():
    html = focusable_terms('<p>Le <abbr title="Règlement général">RGPD</abbr> dit</p>')
    assert '<abbr tabindex="0" aria-describedby="dc-term-1">RGPD</abbr>' in html
    assert (
        '<span class="dc-term__tip" id="dc-term-1" role="tooltip" data-pagefind-ignore>Règlement général</span>' in html
    )
    assert "title=" not in html


def test_a_term_inside_a_link_is_left_to_the_link():
    # The Nu Html Checker refuses tabindex inside <a>: the link is what the keyboard reaches there.
    html = focusable_terms(
        '<p><a href="/glossaire/">le <abbr title="code">HMAC</abbr></a> et <abbr title="loi">RGPD</abbr></p>'
    )
    assert '<a href="/glossaire/">le <abbr title="code">HMAC</abbr></a>' in html
    assert '<abbr tabindex="0" aria-describedby="dc-term-1">RGPD</abbr>' in html
    assert html.count("tabindex") == 1
