"""The data-entry kit: forms generated from the framework and codebook, and importers back.

``lublin-diagnosis forms --data DIR --out FORMS`` (:func:`write_forms`) writes one
monitoring workbook per institution, the freedom-of-information requests, the survey
questionnaire as an XLSForm (and printable PDFs) and the register templates;
``lublin-diagnosis import KIND FILES... --into DIR`` (:func:`import_forms`) reads them back
into the contract files of ``docs/data-contracts.md``, reporting every problem with its
workbook, sheet and cell.
"""

from lublin_diagnosis.data.forms.kit import IMPORT_KINDS, ImportResult, import_forms, write_forms

__all__ = ["IMPORT_KINDS", "ImportResult", "import_forms", "write_forms"]
