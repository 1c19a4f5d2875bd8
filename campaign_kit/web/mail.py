"""Sending the letter by email from a phone: a mailto: link with the subject and the letter's
email form as its body, when the link is short enough for mail apps to open.

How long is safe: no standard sets a limit on a mailto: link (RFC 6068), so the limit is what
browsers and mail apps handle. 2,000 characters is the figure the web has long used for any
URL that must work everywhere (Stack Overflow, "What is the maximum length of a URL in
different browsers?", answer 417184: "URLs over 2,000 characters will not work in the most
popular web browsers"; Internet Explorer stopped at 2,083, Microsoft KB 208427), and the
Thunderbird for Android (K-9 Mail) maintainers opened mailto: links of 1,000 and 2,000
characters without trouble (thunderbird/thunderbird-android issue 5877, January 2022), while
Android hands the whole link to the mail app in one message (an Intent), which very long
links overflow. So a link is offered only when the whole of it, encoded, is 2,000
characters or fewer; otherwise the page offers the copy box.
"""

from __future__ import annotations

from urllib.parse import quote

MAILTO_LIMIT = 2000  # characters of the whole encoded link (see above)
# Characters RFC 6068 lets a mailto: header value hold as they are (so the link stays short);
# '+', '&', '=', '?', '#' and '%' are always encoded, as some apps read them specially.
SAFE = "!$'()*,;:@/"


def mail_link(email: str, subject: str, body: str | None = None) -> str:
    """A mailto: link with the subject (and body), or "" when there is no address or the
    link would be longer than MAILTO_LIMIT. Line breaks in the body are CRLF, as RFC 6068
    (section 5) asks."""
    if not email:
        return ""
    link = f"mailto:{quote(email, safe='@')}?subject={quote(subject, safe=SAFE)}"
    if body is not None:
        crlf = body.replace("\r\n", "\n").replace("\n", "\r\n")
        link += f"&body={quote(crlf, safe=SAFE)}"
    return link if len(link) <= MAILTO_LIMIT else ""
