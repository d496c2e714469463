"""The "Download case PDF" button of the creator's and the reviewer's case pages."""

import reflex as rx

CREATOR_PDF_PATH = "/api/creator/cases/"
REVIEW_PDF_PATH = "/api/review/cases/"


def case_pdf_button(case_id: rx.Var, path: str) -> rx.Component:
    """Downloads `path`<case_id>.pdf with the browser's time zone, so the PDF's times are the reader's; the route
    checks the session cookie and the reader's right to the case, like the CSV export."""
    url = rx.Var(
        _js_expr=(
            f"`{path}${{{case_id}}}.pdf?time_zone=`"
            " + encodeURIComponent(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC')"
        ),
        _var_type=str,
        _var_data=case_id._get_all_var_data(),
    )
    return rx.button(
        rx.icon("file-down", size=16),
        "Download case PDF",
        variant="outline",
        type="button",
        on_click=rx.download(url=url),
        class_name="case-pdf",
    )
