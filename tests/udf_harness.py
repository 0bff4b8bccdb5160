"""Calling a worksheet function the way xlwings' COM server does, on the test engine.

``xlwings.udfs.call_udf`` turns each Excel argument into Python with
``conversion.read(range_or_value, options)`` using the options recorded by ``@xw.arg``,
calls the function and converts its result with ``conversion.write(..., ret options)``.
Here the same steps run with xlwings' real decorators and conversion pipeline; only the
COM transport is missing (Excel itself is played by ``xlwings_engine``).
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType
from typing import Any

import xlwings as xw
from xlwings import conversion
from xlwings_engine import install, udf_decorators


def decorated_udfs() -> ModuleType:
    """udfs.sozialraum with xlwings' real decorators (on Linux they are no-ops)."""
    real = udf_decorators()
    install()
    saved = xw.func, xw.arg, xw.ret
    xw.func, xw.arg, xw.ret = real.xlfunc, real.xlarg, real.xlret  # type: ignore[assignment]
    try:
        import udfs.sozialraum as plain

        spec = importlib.util.spec_from_file_location("udfs_decorated", plain.__file__)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)  # a separate module: the plain one stays as it is
        return module
    finally:
        xw.func, xw.arg, xw.ret = saved  # type: ignore[assignment]


def call(func: Any, *args: Any) -> Any:
    """What Excel receives for ``=FUNC(args…)``: arguments may be ``xw.Range`` objects."""
    info = func.__xlfunc__
    args_info = info["args"]
    values = []
    for i in range(len(args_info)):
        arg_info = args_info[i]
        if i >= len(args):
            values.append(arg_info.get("optional"))
        elif isinstance(args[i], xw.Range):
            values.append(conversion.read(args[i], None, arg_info["options"]))
        else:
            values.append(conversion.read(None, args[i], arg_info["options"]))
    result = func(*values)
    return conversion.write(result, None, info["ret"]["options"])
