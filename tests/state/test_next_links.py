"""After logging in, `next=` leads only to the app's own pages; the session cookie is Secure on an https site."""

import os
import subprocess
import sys

import pytest

from resolution_app.state.session import own_path


@pytest.mark.parametrize("target", ["/cases/12", "/creator/resolutions?status=waiting", "/purchases"])
def test_own_paths_are_followed(target):
    assert own_path(target) == target


@pytest.mark.parametrize(
    "target",
    ["", "https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)", "/a b", "/\x00"],
)
def test_anything_else_is_not(target):
    assert own_path(target) is None


@pytest.mark.parametrize(("public_url", "secure"), [("https://rc.example", "True"), ("http://localhost:3000", "False")])
def test_the_session_cookie_is_secure_where_the_site_is_https(tmp_path, public_url, secure):
    probe = (
        "from resolution_app.state.session import SessionState; "
        "print(SessionState.get_fields()['token'].default.secure)"
    )
    env = {**os.environ, "PUBLIC_API_URL": public_url, "DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == secure
