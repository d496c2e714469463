"""After logging in, `next=` leads only to the app's own pages."""

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
