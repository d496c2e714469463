"""What the file picker says beside itself when the browser refused a chosen file (its type or size), in words."""

import reflex as rx

from resolution_app.domain.policy import DEFAULT_POLICY

REASONS = {
    "file-invalid-type": "isn't a type we accept",
    "file-too-large": f"is larger than {DEFAULT_POLICY.max_file_bytes // (1024 * 1024)} MB",
    "too-many-files": f"would make more than {DEFAULT_POLICY.max_files_per_submission} files",
}


class FileNotesState(rx.State):
    notes: dict[str, str] = {}  # picker id → what was refused and why

    @rx.event
    def refused(self, upload_id: str, rejected: list[dict]):
        said = []
        for item in rejected if isinstance(rejected, list) else []:
            name = str((item.get("file") or {}).get("path", "A file"))[:120] if isinstance(item, dict) else "A file"
            codes = [str(error.get("code", "")) for error in item.get("errors", []) if isinstance(error, dict)]
            why = next((REASONS[code] for code in codes if code in REASONS), "can't be added")
            said.append(f"“{name.lstrip('./')}” {why}.")
        self.notes = {**self.notes, str(upload_id)[:40]: " ".join(said[:3])}

    @rx.event
    def clear(self, upload_id: str):
        self.notes = {key: note for key, note in self.notes.items() if key != upload_id}
