"""Choosing up to N evidence files, with previews and a remove button, before they are sent.

The browser-side limits here only help the user; the server checks count, size and type again.
"""

import reflex as rx
from reflex.vars import Var, VarData
from reflex_base.event import EventChain
from reflex_components_core.core.upload import get_upload_files_context_var_data

from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.services.accounts import SESSION_HEADER
from resolution_app.state.file_notes import FileNotesState
from resolution_app.state.session import SessionState

ACCEPT = {
    "image/png": [".png"],
    "image/jpeg": [".jpg", ".jpeg"],
    "image/gif": [".gif"],
    "image/webp": [".webp"],
    "application/pdf": [".pdf"],
    "video/mp4": [".mp4"],
    "video/quicktime": [".mov"],
    "video/webm": [".webm"],
}
HINT = "PNG, JPEG, GIF, WebP, PDF, MP4, MOV or WebM · up to 3 files · 50 MB each"


def picked_files(upload_id: str) -> rx.event.FileUpload:
    """The files chosen in `upload_id`, for an upload handler; the session goes along, checked before the body."""
    return rx.upload_files(upload_id=upload_id, extra_headers={SESSION_HEADER: SessionState.token})


def _chosen_count(upload_id: str) -> Var:
    return Var(
        _js_expr=f"(filesById[{upload_id!r}] || []).length",
        _var_type=int,
        _var_data=get_upload_files_context_var_data(),
    ).to(int)


def _chosen_files(upload_id: str) -> Var:
    """Name, size and (for images) a local preview URL of each chosen file."""
    return Var(
        _js_expr=(
            f"(filesById[{upload_id!r}] || []).map((f, i) => ({{index: i, name: f.name, "
            "size: f.size < 1048576 ? (f.size / 1024).toFixed(1) + ' KB' : (f.size / 1048576).toFixed(1) + ' MB', "
            "preview: (f.type || '').startsWith('image/') ? URL.createObjectURL(f) : ''}))"
        ),
        _var_type=list[dict[str, str]],
        _var_data=get_upload_files_context_var_data(),
    )


def _remove_file(upload_id: str, index: Var) -> Var:
    return Var(
        _js_expr=(
            f"(() => setFilesById(all => ({{...all, [{upload_id!r}]: "
            f"(all[{upload_id!r}] || []).filter((_, j) => j !== {index})}})))"
        ),
        _var_type=EventChain,
        _var_data=VarData.merge(get_upload_files_context_var_data(), index._get_all_var_data()),
    )


def _chosen_file(upload_id: str, file: Var) -> rx.Component:
    return rx.hstack(
        rx.cond(
            file["preview"] != "",
            rx.image(src=file["preview"], width="48px", height="48px", object_fit="cover", border_radius="6px"),
            rx.center(rx.icon("file", size=24), width="48px", height="48px"),
        ),
        rx.vstack(
            rx.text(file["name"], size="2", weight="medium"),
            rx.text(file["size"], size="1", color_scheme="gray"),
            spacing="0",
        ),
        rx.spacer(),
        rx.button(
            rx.icon("x", size=14),
            "Remove",
            size="1",
            variant="soft",
            color_scheme="gray",
            type="button",
            on_click=_remove_file(upload_id, file["index"]),
            aria_label=f"Remove {file['name']}",
        ),
        align="center",
        width="100%",
        class_name="chosen-file",
    )


def _label_file_input(component: rx.Component, label: str) -> None:
    """Reflex builds the dropzone's hidden file input itself, without a label: give it the button's words."""
    for child in component.children:
        if getattr(child, "tag", None) == "input":
            child.custom_attrs["aria-label"] = label
        _label_file_input(child, label)


def file_picker(
    upload_id: str,
    label: str = "Add files",
    *,
    max_files: int = DEFAULT_POLICY.max_files_per_submission,
    accept: dict[str, list[str]] = ACCEPT,
    hint: str = HINT,
) -> rx.Component:
    full = _chosen_count(upload_id) >= max_files
    zone = rx.upload.root(
        rx.button(rx.icon("paperclip", size=16), label, variant="outline", type="button"),
        id=upload_id,
        multiple=max_files > 1,
        max_files=max_files,  # choosing more is refused as a whole, and the note says why
        max_size=DEFAULT_POLICY.max_file_bytes,  # a bigger file is refused at once, and the note says why
        accept=accept,
        no_drag=False,
        border="none",
        padding="0",
        on_drop_rejected=lambda rejected: FileNotesState.refused(upload_id, rejected),
    )
    _label_file_input(zone, label)
    note = FileNotesState.notes[upload_id]
    return rx.vstack(
        zone,
        rx.text(
            rx.cond(full, f"{max_files} of {max_files} files chosen. Choosing again replaces them.", hint),
            size="1",
            color_scheme="gray",
        ),
        rx.cond(note, rx.text(note, size="2", color_scheme="red", role="alert", class_name="file-note")),
        rx.foreach(_chosen_files(upload_id), lambda file: _chosen_file(upload_id, file)),
        spacing="2",
        width="100%",
    )
