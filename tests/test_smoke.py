import lublin_diagnosis as ld


def test_import():
    assert ld.__version__
