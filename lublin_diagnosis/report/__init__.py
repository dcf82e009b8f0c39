"""The report: texts in Polish and English (``locales/``), number formatting, plots, the
tables and views the notebooks show, publishing (every table through disclosure control,
recorded for the manifest), and the HTML pages and workbook.

Notebooks use the modules :mod:`~lublin_diagnosis.report.i18n`,
:mod:`~lublin_diagnosis.report.publish`, :mod:`~lublin_diagnosis.report.plots`,
:mod:`~lublin_diagnosis.report.views` and :mod:`~lublin_diagnosis.report.overview`.
"""

from lublin_diagnosis.report.i18n import LANGUAGES, md, t
from lublin_diagnosis.report.publish import (
    publish_counts,
    publish_figure,
    publish_table,
    start_publishing,
)

__all__ = [
    "LANGUAGES",
    "md",
    "publish_counts",
    "publish_figure",
    "publish_table",
    "start_publishing",
    "t",
]
