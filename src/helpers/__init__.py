"""Community Workbook helpers: every function the notebooks call."""
__version__ = "0.1.0"
