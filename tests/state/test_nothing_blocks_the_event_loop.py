"""Reflex runs handlers on its event loop: a database query, an S3 call or a password hash there stalls every browser
on the worker. So no code in `resolution_app/state/` calls a service or an infra function directly; it hands them
to a thread (`await asyncio.to_thread(service, ...)`), which only an `async` handler can do.

The check reads each state module's syntax tree and resolves every call through the module's own names.
"""

import ast
import importlib
import inspect
import pkgutil
import textwrap
from types import ModuleType

import pytest

import resolution_app.state as state_package
from resolution_app.services.buyers import purchases

BLOCKING_LAYERS = ("resolution_app.services", "resolution_app.infra")
# Pure functions of those layers that do no I/O: settings are read once and cached; a query string is parsed.
NO_IO = frozenset({"get_settings", "filter_from_query"})


def _resolve(node: ast.expr, names: dict[str, object]) -> object | None:
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute):
        owner = _resolve(node.value, names)
        return getattr(owner, node.attr, None) if isinstance(owner, ModuleType) else None
    return None


def blocking_calls(source: str, names: dict[str, object]) -> list[str]:
    """`line: name` of every direct call to a function of the services or infra layer."""
    found = []
    for node in ast.walk(ast.parse(textwrap.dedent(source))):
        if not isinstance(node, ast.Call):
            continue
        target = _resolve(node.func, names)
        if not (inspect.isfunction(target) or inspect.isbuiltin(target)):
            continue  # classes (a dataclass of infra, say) are built here, not run
        if target.__module__.startswith(BLOCKING_LAYERS) and target.__name__ not in NO_IO:
            found.append(f"{node.lineno}: {target.__module__}.{target.__name__}")
    return found


def _state_modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"{state_package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(state_package.__path__)
    ]


@pytest.mark.parametrize("module", _state_modules(), ids=lambda module: module.__name__.rsplit(".", 1)[-1])
def test_state_code_hands_every_service_call_to_a_thread(module):
    assert blocking_calls(inspect.getsource(module), vars(module)) == []


def test_the_check_finds_a_synchronous_handler_that_calls_a_service():
    handler = """
        def load_purchases(self):
            self.purchases = purchases.list_purchases(self._user())
    """
    assert blocking_calls(handler, {"purchases": purchases}) == [
        "3: resolution_app.services.buyers.purchases.list_purchases"
    ]
    handed_over = """
        async def load_purchases(self):
            self.purchases = await asyncio.to_thread(purchases.list_purchases, await self._user())
    """
    assert blocking_calls(handed_over, {"purchases": purchases}) == []
