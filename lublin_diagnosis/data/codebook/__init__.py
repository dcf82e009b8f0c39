"""The survey codebook: what each survey variable is, its codes and their labels.

A :class:`Codebook` is loaded from ``codebook.yml`` (format in ``docs/data-contracts.md``)
and is immutable. It answers the questions the rest of the package asks about the survey:
the codes of a categorical variable in level order, their Polish and English labels, the
missing-value codes, the allowed range of a number, the variables of a role (``id``,
``design``, ``weighting``, ``grouping``, ``outcome``).

:func:`check_codebook` lists every problem of a codebook file at once (as
:class:`~lublin_diagnosis.exceptions.Problem` objects); :meth:`Codebook.from_dict` and
:meth:`Codebook.load` raise :class:`~lublin_diagnosis.exceptions.ValidationError` with all
of them. :meth:`Codebook.from_sav` drafts a codebook from the labels of an SPSS file, to be
completed by hand (roles, English labels).

YAML note: the codebook is read with every plain scalar kept as text, so codes such as
``01``, ``1`` or ``no`` stay the strings ``"01"``, ``"1"`` and ``"no"``.

The package's modules: :mod:`.model` (:class:`Variable`, :class:`Codebook`),
:mod:`.checking` (:func:`check_codebook`), :mod:`.loading` (:func:`load_yaml_text`) and
:mod:`.vocabulary` (the types, roles and languages a codebook may use).

>>> from lublin_diagnosis.data.codebook import Codebook
>>> from pathlib import Path
>>> import lublin_diagnosis
>>> demo = Path(lublin_diagnosis.__file__).parents[1] / "data" / "demo"  # in a checkout
>>> cb = Codebook.load(demo / "codebook.yml")
>>> cb.codes("sex"), cb.value_labels("sex", "pl")
(['F', 'M'], {'F': 'Kobieta', 'M': 'Mężczyzna'})
>>> cb.by_role("weighting")
['sex', 'age_group', 'citizenship', 'legal_status']
"""

from __future__ import annotations

from lublin_diagnosis.data.codebook.checking import check_codebook
from lublin_diagnosis.data.codebook.loading import load_yaml_text
from lublin_diagnosis.data.codebook.model import Codebook, Variable
from lublin_diagnosis.data.codebook.vocabulary import LANGUAGES, ROLES, TRANSLATIONS, TYPES

__all__ = [
    "Codebook",
    "LANGUAGES",
    "ROLES",
    "TRANSLATIONS",
    "TYPES",
    "Variable",
    "check_codebook",
    "load_yaml_text",
]
