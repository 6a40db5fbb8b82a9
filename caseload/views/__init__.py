"""The caseload's views, one module per sub-domain (the same names as caseload/models/)."""
