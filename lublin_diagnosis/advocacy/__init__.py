"""Advocacy outputs: the recommendations register (status, implementation, the consultation
group's opinions), follow-up against indicator change, institution reports, legal-advice
statistics under disclosure control, and campaign factsheets.
"""

from lublin_diagnosis.advocacy.factsheets import write_factsheets

__all__ = ["write_factsheets"]
