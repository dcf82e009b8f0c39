"""The indicator framework: its model (areas, P/A/O indicators, answer options, goalposts,
crosswalks), the YAML file format and its checker, and the frameworks shipped with the
package (``builtin/lublin-14.yml``).

A framework is an input like the codebook, so this layer sits below the data layer, which
checks monitoring answers against it.
"""

from lublin_diagnosis.framework.model import (
    RESPONSIBLE_LEVELS,
    Area,
    Framework,
    Indicator,
    available_frameworks,
    load_framework,
    normalise,
)
from lublin_diagnosis.framework.resolver import (
    DEFAULT_FRAMEWORK,
    framework_source,
    resolve_framework,
)

__all__ = [
    "DEFAULT_FRAMEWORK",
    "RESPONSIBLE_LEVELS",
    "Area",
    "Framework",
    "Indicator",
    "available_frameworks",
    "framework_source",
    "load_framework",
    "normalise",
    "resolve_framework",
]
