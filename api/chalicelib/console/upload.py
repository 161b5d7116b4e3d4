"""A form with a file (multipart/form-data), read with the standard library's MIME parser.

Why by hand: the API takes JSON and URL-encoded forms only (kernel/inputs.py), and one small form with a CSV file
does not justify a multipart library beside it; email.parser reads a MIME body exactly, and the size is bounded
before it runs.
"""

from __future__ import annotations

from email import policy
from email.parser import BytesParser

from ..kernel.errors import ApiError
from ..kernel.messages import N_

MAX_FIELDS = 10


def _malformed() -> ApiError:
    return ApiError(
        "bad-request",
        N_("The form sent is malformed; reload the page and try again."),
    )


def read_multipart(raw: bytes | None, content_type: str | None, max_bytes: int) -> tuple[dict[str, str], dict]:
    """(text fields, files as {name: (file name, bytes)}) of a multipart/form-data body within `max_bytes`."""
    raw = raw or b""
    if len(raw) > max_bytes:
        raise ApiError("too-large", N_("The file is larger than {kb} KB: split it."), values={"kb": max_bytes // 1024})
    if (
        not content_type
        or not content_type.lower().startswith("multipart/form-data")
        or "boundary=" not in content_type
    ):
        raise _malformed()
    message = BytesParser(policy=policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + raw
    )
    if not message.is_multipart():
        raise _malformed()
    fields: dict[str, str] = {}
    files: dict[str, tuple[str, bytes]] = {}
    for count, part in enumerate(message.iter_parts()):
        if count >= MAX_FIELDS:
            raise _malformed()
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str) or name in fields or name in files:
            raise _malformed()
        payload = part.get_payload(decode=True) or b""
        file_name = part.get_filename()
        if file_name is not None:
            files[name] = (file_name, payload)
        else:
            try:
                fields[name] = payload.decode("utf-8")
            except UnicodeDecodeError:
                raise _malformed() from None
    return fields, files
