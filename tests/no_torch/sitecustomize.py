"""Imported at start-up by every Python process that has this folder on PYTHONPATH.

It refuses imports of torch, sentence-transformers and transformers (a serving process must work
without them, as in the image that does not ship them) and, at exit, appends one JSON line to
$NO_TORCH_LOG: the process's argv, the forbidden modules it tried to import and those loaded.
The bench's sentence-transformers baseline worker (argv names it) is the one process allowed.
"""

import atexit
import json
import os
import sys

FORBIDDEN = frozenset({"torch", "sentence_transformers", "transformers"})
EXEMPT_ARG = "sentence-transformers-baseline"
_refused: list[str] = []


class _Refuse:
    def find_spec(self, name, path=None, target=None):  # noqa: ANN001, ANN201 (finder protocol)
        if name.partition(".")[0] in FORBIDDEN and EXEMPT_ARG not in sys.argv:
            _refused.append(name)
            # As if it were not installed, which is how a serving-only install sees it.
            raise ModuleNotFoundError(f"{name} may not be imported on the serving path")
        return None


def _report() -> None:
    loaded = sorted(m for m in sys.modules if m.partition(".")[0] in FORBIDDEN)
    line = {"pid": os.getpid(), "argv": sys.argv, "refused": _refused, "loaded": loaded}
    with open(os.environ["NO_TORCH_LOG"], "a", encoding="utf-8") as log:
        log.write(json.dumps(line) + "\n")


if os.environ.get("NO_TORCH_LOG"):
    sys.meta_path.insert(0, _Refuse())
    atexit.register(_report)
