"""Reading the YAML files that ship in resources/ and forms/.

PyYAML's pure-Python loader took a tenth of a second for the knowledge
base alone, on every start of the app and the command line; libyaml's
loader (in PyYAML's wheels) reads the same safe subset ten times faster.
Where PyYAML was built without libyaml the pure-Python loader still works.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    """The document in ``path`` (UTF-8), with only plain YAML types: ``yaml.safe_load``, faster."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_SafeLoader)
