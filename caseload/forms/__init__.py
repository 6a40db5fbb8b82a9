"""The caseload's forms, one module per sub-domain (the same names as caseload/models/)."""
