"""Information governance pages: subject access requests and the retention review (issue #16)."""
