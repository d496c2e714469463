"""Choosing up to N evidence files, with previews and a remove button, before they are sent.

The browser-side limits here only help the user; the server checks count, size and type again.
"""

import json

import reflex as rx
from reflex.vars import Var, VarData
from reflex_base.event import EventChain
from reflex_components_core.core.upload import Upload, get_upload_files_context_var_data

from resolution_app.domain.policy import DEFAULT_POLICY
from resolution_app.services.accounts import SESSION_HEADER
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


def _add_files(upload_id: str, max_files: int, accept: dict[str, list[str]]) -> str:
    """JS taking a FileList: allowed files join those already chosen, up to `max_files`; the note beside the
    picker says, in words, which were left out and why (or nothing, once all went in)."""
    types, extensions = list(accept), [ext for exts in accept.values() for ext in exts]
    limit_mb = DEFAULT_POLICY.max_file_bytes // (1024 * 1024)
    return f"""((files) => {{
  const kept = [...(filesById[{upload_id!r}] || [])], said = [];
  for (const file of Array.from(files || [])) {{
    const extension = "." + (file.name.split(".").pop() || "").toLowerCase();
    if (!({json.dumps(types)}.includes(file.type) || {json.dumps(extensions)}.includes(extension)))
      said.push(`“${{file.name}}” isn't a type we accept.`);
    else if (file.size > {DEFAULT_POLICY.max_file_bytes}) said.push(`“${{file.name}}” is larger than {limit_mb} MB.`);
    else if (kept.length >= {max_files}) said.push(`“${{file.name}}” was left out: {max_files} files at most.`);
    else kept.push(file);
  }}
  setFilesById(all => ({{...all, [{upload_id!r}]: kept}}));
  const note = document.getElementById({(upload_id + "-note")!r});
  if (note) note.textContent = said.join(" ");
}})"""


def _picker_events(upload_id: str, max_files: int, accept: dict[str, list[str]]) -> dict[str, Var]:
    add, context = _add_files(upload_id, max_files, accept), get_upload_files_context_var_data()
    return {
        "chosen": Var(_js_expr=f"((e) => {{ {add}(e.target.files); e.target.value = ''; }})", _var_data=context),
        "dropped": Var(_js_expr=f"((e) => {{ e.preventDefault(); {add}(e.dataTransfer.files); }})", _var_data=context),
    }


def file_picker(
    upload_id: str,
    label: str = "Add files",
    *,
    max_files: int = DEFAULT_POLICY.max_files_per_submission,
    accept: dict[str, list[str]] = ACCEPT,
    hint: str = HINT,
) -> rx.Component:
    # Reflex's dropzone replaces what was chosen with each new choice; people add evidence a file at a time.
    Upload.is_used = True  # no rx.upload on the page: Reflex must still serve its upload endpoint
    events = _picker_events(upload_id, max_files, accept)
    input_id = f"{upload_id}-input"
    return rx.vstack(
        rx.box(
            rx.el.input(
                type="file",
                id=input_id,
                multiple=max_files > 1,
                accept=",".join([*accept, *(ext for exts in accept.values() for ext in exts)]),
                class_name="visually-hidden file-input",
                custom_attrs={"onChange": events["chosen"], "aria-label": label},
            ),
            rx.el.label(
                rx.icon("paperclip", size=16, aria_hidden="true"), label, html_for=input_id, class_name="file-button"
            ),
            id=upload_id,
            custom_attrs={"onDragOver": Var(_js_expr="((e) => e.preventDefault())"), "onDrop": events["dropped"]},
            class_name="file-drop",
        ),
        rx.text(
            rx.cond(
                _chosen_count(upload_id) >= max_files,
                f"{max_files} of {max_files} files chosen: remove one to add another.",
                hint,
            ),
            size="1",
            color_scheme="gray",
        ),
        rx.text("", id=f"{upload_id}-note", size="2", color_scheme="red", role="alert", class_name="file-note"),
        rx.foreach(_chosen_files(upload_id), lambda file: _chosen_file(upload_id, file)),
        spacing="2",
        width="100%",
    )
