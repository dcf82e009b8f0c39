"""The data layer: readers (CSV, XLSX, SAV, DTA, Parquet), the codebook, one declarative
contract per input file, validation that lists every problem at once, the loaded
:class:`Dataset`, and the seeded synthetic demo data.
"""

from lublin_diagnosis.data.codebook import Codebook
from lublin_diagnosis.data.readers import read_table
from lublin_diagnosis.data.synth import write_demo
from lublin_diagnosis.data.validation import Dataset, ValidationReport, load_dataset, validate_dir

__all__ = [
    "Codebook",
    "Dataset",
    "ValidationReport",
    "load_dataset",
    "read_table",
    "validate_dir",
    "write_demo",
]
