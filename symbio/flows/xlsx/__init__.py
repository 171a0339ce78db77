"""Scenarios in Excel: one sheet per record family, read and written with the YAML format's rules.

* :func:`~symbio.flows.xlsx.read.read_workbook`: a workbook → scenario data (``symbio.load_scenario``
  validates it like a YAML file);
* :func:`~symbio.flows.xlsx.write.write_scenario_workbook`: a scenario file → a workbook;
* :mod:`~symbio.flows.xlsx.layout`: the sheet layout both share.
"""
