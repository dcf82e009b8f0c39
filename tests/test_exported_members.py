"""The public API is a tested contract: __all__ is sorted and lists exactly what is exported."""

import lublin_diagnosis as ld


def test_all_is_sorted_and_complete():
    assert ld.__all__ == sorted(ld.__all__)
    public = {name for name in vars(ld) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(ld, name)).__name__ == "module"}
    assert set(ld.__all__) - {"__version__"} == public - modules


def test_every_exception_is_a_builtin_too():
    for name in ld.__all__:
        obj = getattr(ld, name)
        if isinstance(obj, type) and issubclass(obj, ld.LublinDiagnosisError):
            if obj in (ld.LublinDiagnosisError, ld.SurveyError):  # the two abstract bases
                continue
            assert issubclass(obj, (ValueError, RuntimeError)), name
