"""Agreement documents from boilerplate: MOU, DSA, DUA and the client notice / consent form, with
the agreement's fields filled in, as HTML (for print), DOCX and PDF.

A template is a text file under `templates/`: `# ` a title, `## ` a heading, `* {name}` one
bullet per item of a list value, anything else a paragraph. Values are inserted as text, never
interpreted (only the template's own braces are placeholders).
"""

from __future__ import annotations

import html
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any, Literal

from sqlalchemy.orm import Session

from steward.accounts.policy import Actor
from steward.errors import Invalid
from steward.sharing import agreements
from steward.sharing.checklists import AUTHORITIES
from steward.sharing.models import Agreement
from steward.sharing.schemas import DATA_LEVELS, KINDS

Format = Literal["html", "docx", "pdf"]
DOCUMENTS = {"agreement": "", "consent": "consent"}
BY_KIND = {"mou": "mou", "moa": "mou", "dsa": "dsa", "dua": "dua", "baa": "dua"}
MEDIA = {
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
NOT_STATED = "(not stated)"


@dataclass(frozen=True)
class Rendered:
    content: bytes
    media_type: str
    filename: str


Block = tuple[str, str]  # ("title" | "heading" | "bullet" | "para", text)


def template_name(kind: str, document: str) -> str:
    if document not in DOCUMENTS:
        raise Invalid(f"document must be one of {', '.join(DOCUMENTS)}")
    return "consent" if document == "consent" else BY_KIND.get(kind, "dsa")


def _day(value: date | None) -> str:
    return value.isoformat() if value else NOT_STATED


def values_of(agreement: Agreement) -> dict[str, Any]:
    """The agreement's fields as the templates name them (lists stay lists, for bullets)."""
    text = {
        "agreement_id": str(agreement.id),
        "title": agreement.title,
        "kind_label": KINDS.get(agreement.kind, agreement.kind),
        "provider_name": agreement.provider.name,
        "recipient_name": agreement.recipient.name
        if agreement.recipient
        else agreement.recipient_organization or NOT_STATED,
        "data_level": DATA_LEVELS.get(agreement.data_level, agreement.data_level).lower(),
        "effective_date": _day(agreement.effective_date),
        "end_date": _day(agreement.end_date),
        "destruction_due": _day(agreement.destruction_due),
        "program_label": agreement.program or agreement.title,
    }
    for name in (
        "prohibited_uses",
        "redisclosure",
        "suppression_rule",
        "transfer_security",
        "retention",
        "destruction_method",
        "program",
        "consent_purpose",
    ):
        text[name] = getattr(agreement, name) or NOT_STATED
    authorities = [AUTHORITIES.get(a, a) for a in agreement.legal_authorities]
    if agreement.state_statute:
        authorities.append(f"State statute: {agreement.state_statute}")
    lists = {
        "purposes": list(agreement.purposes),
        "authorities": authorities,
        "datasets": [
            f"{s.dataset.title} ({s.dataset_id}): {', '.join(s.fields)}"
            + (f"; only rows where {s.row_filter}" if s.row_filter else "")
            for s in agreement.datasets
        ],
        "authorized_users": [
            f"{g.user.name} <{g.user.email}>" for g in agreement.grants if g.revoked_at is None
        ],
        "signatories": [_signatory(s) for s in agreement.signatories],
    }
    return {**text, **lists}


def _signatory(item: Mapping[str, Any]) -> str:
    parts = [item.get("name") or "", item.get("title") or "", item.get("organization") or ""]
    signed = f", signed {item['signed_on']}" if item.get("signed_on") else ""
    return ", ".join(p for p in parts if p) + signed


class _Values(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def blocks(template: str, values: Mapping[str, Any]) -> list[Block]:
    """The template's lines with the values filled in, as typed blocks."""
    source = resources.files("steward.sharing").joinpath(f"templates/{template}.txt")
    found: list[Block] = []
    flat = _Values({k: "; ".join(v) if isinstance(v, list) else v for k, v in values.items()})
    for line in source.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        if line.startswith("* "):
            found.extend(("bullet", item) for item in _bullets(line[2:], values, flat))
        elif line.startswith("## "):
            found.append(("heading", line[3:].format_map(flat)))
        elif line.startswith("# "):
            found.append(("title", line[2:].format_map(flat)))
        else:
            found.append(("para", line.format_map(flat)))
    return found


def _bullets(line: str, values: Mapping[str, Any], flat: _Values) -> list[str]:
    name = line.strip()[1:-1] if line.strip().startswith("{") else ""
    items = values.get(name)
    if isinstance(items, list):
        return [str(item) for item in items] or [NOT_STATED]
    return [line.format_map(flat)]


def to_html(found: list[Block]) -> bytes:
    tags = {"title": "h1", "heading": "h2", "para": "p"}
    body: list[str] = []
    for kind, text in found:
        if kind == "bullet":
            if not body or not body[-1].endswith("</li>"):
                body.append("<ul>")
            body.append(f"<li>{html.escape(text)}</li>")
            continue
        if body and body[-1].endswith("</li>"):
            body.append("</ul>")
        body.append(f"<{tags[kind]}>{html.escape(text)}</{tags[kind]}>")
    if body and body[-1].endswith("</li>"):
        body.append("</ul>")
    title = html.escape(next((t for k, t in found if k == "title"), "Agreement"))
    page = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        "<style>body{font-family:Georgia,serif;max-width:42em;margin:2em auto;line-height:1.5}"
        "</style></head><body>" + "\n".join(body) + "</body></html>"
    )
    return page.encode()


def to_docx(found: list[Block]) -> bytes:
    from docx import Document

    document = Document()
    for kind, text in found:
        if kind == "title":
            document.add_heading(text, level=0)
        elif kind == "heading":
            document.add_heading(text, level=1)
        elif kind == "bullet":
            document.add_paragraph(text, style="List Bullet")
        else:
            document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_pdf(found: list[Block]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="Letter")
    pdf.set_margins(22, 20, 22)
    pdf.add_page()
    sizes = {"title": ("B", 16), "heading": ("B", 12), "bullet": ("", 11), "para": ("", 11)}
    for kind, text in found:
        style, size = sizes[kind]
        pdf.set_font("Helvetica", style, size)
        # The core fonts cover Latin-1 only; other characters print as "?".
        safe = text.encode("latin-1", "replace").decode("latin-1")
        line = f"-  {safe}" if kind == "bullet" else safe
        pdf.multi_cell(0, 6 if kind != "title" else 9, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2 if kind != "bullet" else 0)
    return bytes(pdf.output())


def render(
    session: Session, actor: Actor, agreement_id: int, fmt: Format, document: str = "agreement"
) -> Rendered:
    """The agreement (or its consent form) filled in, for anyone who may read the agreement."""
    agreement = agreements.viewable(session, actor, agreement_id)
    name = template_name(agreement.kind, document)
    found = blocks(name, values_of(agreement))
    writers = {"html": to_html, "docx": to_docx, "pdf": to_pdf}
    if fmt not in writers:
        raise Invalid("format must be html, docx or pdf")
    filename = f"agreement-{agreement.id}-{name}.{fmt}"
    return Rendered(writers[fmt](found), MEDIA[fmt], filename)
