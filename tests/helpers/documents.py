"""Real documents for upload tests: a one-page PDF and a WordprocessingML (docx) package, made
byte by byte (the server checks documents by their bytes, so a header alone will not do)."""
from __future__ import annotations

import io
import os
import zipfile


def minimal_pdf(text: str = "ExamDesk", extra_bytes: int = 0) -> bytes:
    """A real one-page PDF (catalog, pages, page, content stream, font, xref, trailer); `extra_bytes`
    of binary data in one more stream object make it as large as a test needs."""
    stream = ("BT /F1 18 Tf 20 100 Td (%s) Tj ET" % text).encode("latin-1")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    if extra_bytes:
        blob = os.urandom(extra_bytes)
        objects.append(b"<< /Length %d >>\nstream\n" % len(blob) + blob + b"\nendstream")
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def minimal_docx(text: str = "ExamDesk") -> bytes:
    """A real WordprocessingML package: content types, package relationship, the main document."""
    ns = "http://schemas.openxmlformats.org"
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="%s/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>' % ns,
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="%s/package/2006/relationships">'
        '<Relationship Id="rId1" Type="%s/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>' % (ns, ns),
        "word/document.xml": '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="%s/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>%s</w:t></w:r></w:p></w:body></w:document>" % (ns, text),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in parts.items():
            z.writestr(name, xml)
    return buf.getvalue()
